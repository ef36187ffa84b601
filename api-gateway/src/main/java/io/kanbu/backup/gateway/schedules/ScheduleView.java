package io.kanbu.backup.gateway.schedules;

import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.ScheduleFiring;
import io.kanbu.backup.model.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as the API shows it.
 *
 * @param id its id
 * @param name its unique name
 * @param jobType {@code database}, {@code source}, {@code all}, {@code verify} or {@code
 *     restore-drill}
 * @param target the target its jobs run on
 * @param cron the cron expression as written
 * @param timeZone the time zone the expression is read in
 * @param description the expression in English, with the time zone
 * @param enabled false while paused
 * @param status {@code active} or {@code paused}
 * @param misfirePolicy {@code run-once} or {@code skip}
 * @param misfireGrace the schedule's own grace period (ISO-8601); null = the scheduler's
 *     KANBU_SCHEDULER_MISFIRE_GRACE
 * @param lastFiredAt the newest fire time a scheduler handled
 * @param nextFireAt the next fire time a scheduler will handle; null while paused
 * @param nextFireTimes the next five fire times from now; empty while paused
 * @param lastFiring the newest firing and what became of it
 * @param createdBy who created it
 * @param createdAt when
 * @param updatedAt when it last changed
 * @param firingsUrl where its firings are listed
 */
public record ScheduleView(
    UUID id,
    String name,
    String jobType,
    String target,
    String cron,
    String timeZone,
    String description,
    boolean enabled,
    String status,
    String misfirePolicy,
    @Nullable String misfireGrace,
    @Nullable Instant lastFiredAt,
    @Nullable Instant nextFireAt,
    List<Instant> nextFireTimes,
    @Nullable FiringView lastFiring,
    @Nullable String createdBy,
    Instant createdAt,
    Instant updatedAt,
    String firingsUrl) {

  /** How many upcoming fire times a view lists. */
  public static final int NEXT_FIRE_TIMES = 5;

  public static ScheduleView of(
      BackupSchedule schedule, @Nullable FiringView lastFiring, Instant now) {
    CronSchedule cron = schedule.cron();
    Duration grace = schedule.getMisfireGrace();
    return new ScheduleView(
        schedule.getId(),
        schedule.getName(),
        schedule.getJobKind().apiName(),
        schedule.getTarget(),
        schedule.getCronExpression(),
        schedule.getTimeZone(),
        cron.description(),
        schedule.isEnabled(),
        schedule.isEnabled() ? "active" : "paused",
        ScheduleRequestParser.apiName(schedule.getMisfirePolicy()),
        grace == null ? null : grace.toString(),
        schedule.getLastFiredAt(),
        schedule.getNextFireAt(),
        schedule.isEnabled() ? cron.nextFireTimes(now, NEXT_FIRE_TIMES) : List.of(),
        lastFiring,
        schedule.getCreatedBy(),
        schedule.getCreatedAt(),
        schedule.getUpdatedAt(),
        selfLink(schedule.getId()) + "/firings");
  }

  /** The schedule's URL. */
  public static String selfLink(UUID id) {
    return "/api/v1/schedules/" + id;
  }

  /**
   * One firing.
   *
   * @param fireTime the cron time it stands for (for a run-now: when it was asked for)
   * @param trigger {@code CRON} or {@code MANUAL}
   * @param outcome {@code JOB_CREATED}, {@code SKIPPED_PREVIOUS_ACTIVE}, {@code
   *     SKIPPED_NOTHING_TO_DO}, {@code COALESCED} or {@code MISSED}
   * @param detail why, in one line
   * @param claimedBy the scheduler replica (or run-now caller) that claimed it
   * @param jobIds the jobs it created
   */
  public record FiringView(
      Instant fireTime,
      String trigger,
      String outcome,
      @Nullable String detail,
      String claimedBy,
      List<UUID> jobIds) {

    public static FiringView of(ScheduleFiring firing, List<UUID> jobIds) {
      return new FiringView(
          firing.getFireTime(),
          firing.getTrigger().name(),
          firing.getOutcome().name(),
          firing.getDetail(),
          firing.getClaimedBy(),
          jobIds);
    }
  }
}
