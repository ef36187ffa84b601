package io.kanbu.backup.scheduler.schedule;

import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.enqueue.ScheduleFirer;
import io.kanbu.backup.model.enqueue.ScheduleFirer.Fired;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.ScheduleEvent;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.FiringTrigger;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.SchedulerMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires the schedules whose time has come. For each due schedule it lists the fire times from the
 * schedule's {@code next_fire_at} up to now:
 *
 * <ul>
 *   <li>one fire time within the grace period (the normal case): it fires, through {@link
 *       ScheduleFirer} (a job, or a skip while the previous job is still queued or running);
 *   <li>several (every scheduler was down across more than one): with {@link
 *       MisfirePolicy#RUN_ONCE} and the newest within the grace period, the newest fires and the
 *       older ones are recorded as {@link FiringOutcome#COALESCED} into it; otherwise, or when the
 *       newest is older than the grace period, all are recorded as {@link FiringOutcome#MISSED}. A
 *       {@code schedule.missed} event reports either, through the event outbox.
 * </ul>
 *
 * Every fire time is claimed in the catalog (unique per schedule and time), the newest first, so
 * replicas that see the same due schedule at once agree on one of them doing the work; the
 * schedule's next fire time then moves on with a conditional UPDATE. No lock is held in memory and
 * any number of replicas may run.
 */
public final class DueScheduleRunner {

  /** Missed fire times recorded one by one; older ones of a longer outage are only counted. */
  static final int MAX_RECORDED_MISSES = 1000;

  private static final Logger log = LoggerFactory.getLogger(DueScheduleRunner.class);

  private final BackupScheduleRepository schedules;
  private final JobEventRecordRepository events;
  private final ScheduleFirer firer;
  private final EventOutboxRelay eventRelay;
  private final MessageCodec codec;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final SchedulerMode mode;
  private final Duration defaultGrace;
  private final String instanceId;
  private final ScheduleMetrics metrics;

  /**
   * @param defaultGrace the grace period of schedules that set none
   * @param instanceId this replica's name, recorded on the firings it claims
   * @param metrics counts the firings and misses this replica handles
   */
  public DueScheduleRunner(
      BackupScheduleRepository schedules,
      JobEventRecordRepository events,
      ScheduleFirer firer,
      EventOutboxRelay eventRelay,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock,
      SchedulerMode mode,
      Duration defaultGrace,
      String instanceId,
      ScheduleMetrics metrics) {
    this.schedules = schedules;
    this.events = events;
    this.firer = firer;
    this.eventRelay = eventRelay;
    this.codec = codec;
    this.transactions = transactions;
    this.clock = clock;
    this.mode = mode;
    this.defaultGrace = defaultGrace;
    this.instanceId = instanceId;
    this.metrics = metrics;
    log.info(
        mode.firesSchedules()
            ? "schedules fire here as '{}' (BACKUP_SCHEDULER_MODE={})"
            : "schedules do not fire here ('{}', BACKUP_SCHEDULER_MODE={}): backups come from the"
                + " external trigger",
        instanceId,
        mode.configName());
  }

  /**
   * Handles every due schedule once. Does nothing in {@code external} mode.
   *
   * @return how many schedules this replica handled (another replica may have had the rest)
   */
  public int fireDueSchedules() {
    if (!mode.firesSchedules()) {
      return 0;
    }
    Instant now = clock.instant();
    int handled = 0;
    for (BackupSchedule schedule : schedules.findDue(now)) {
      try {
        if (handle(schedule, now)) {
          handled++;
        }
      } catch (RuntimeException e) {
        // one broken schedule must not stop the others; it is tried again on the next run
        log.warn(
            "unable to fire schedule '{}' ({}): {}; will retry",
            schedule.getName(),
            schedule.getId(),
            e.toString());
      }
    }
    return handled;
  }

  private boolean handle(BackupSchedule schedule, Instant now) {
    Instant from = Objects.requireNonNull(schedule.getNextFireAt(), "due schedule without time");
    CronSchedule cron = schedule.cron();
    Deque<Instant> due = new ArrayDeque<>(List.of(from));
    long counted = 1;
    Instant next = cron.nextAfter(from);
    while (next != null && !next.isAfter(now)) {
      due.addLast(next);
      counted++;
      if (due.size() > MAX_RECORDED_MISSES + 1) {
        due.removeFirst();
      }
      next = cron.nextAfter(next);
    }
    long dueCount = counted;
    Instant newest = due.removeLast();
    List<Instant> older = new ArrayList<>(due);
    Duration grace = schedule.getMisfireGrace() == null ? defaultGrace : schedule.getMisfireGrace();
    boolean withinGrace = !newest.plus(grace).isBefore(now);
    boolean missedSome = dueCount > 1;
    boolean run =
        withinGrace && (!missedSome || schedule.getMisfirePolicy() == MisfirePolicy.RUN_ONCE);
    Instant after = next;

    Handled result =
        transactions.execute(
            tx -> {
              Fired fired = null;
              boolean claimed;
              if (run) {
                fired = firer.fire(schedule, newest, FiringTrigger.CRON, instanceId);
                claimed = fired.claimed();
              } else {
                claimed =
                    firer.recordMissed(
                        schedule,
                        newest,
                        FiringOutcome.MISSED,
                        missedDetail(schedule, newest, grace, missedSome),
                        instanceId);
              }
              JobEventRecord event = null;
              if (claimed) {
                // the newest fire time decides who handles the batch; the older ones follow it
                int recorded = run ? 0 : 1;
                for (Instant time : older) {
                  FiringOutcome outcome = run ? FiringOutcome.COALESCED : FiringOutcome.MISSED;
                  String detail =
                      run
                          ? "missed while no scheduler ran; coalesced into the run of " + newest
                          : missedDetail(schedule, newest, grace, true);
                  if (firer.recordMissed(schedule, time, outcome, detail, instanceId)) {
                    recorded++;
                  }
                }
                if (recorded > 0) {
                  long uncounted = dueCount - 1 - older.size();
                  event =
                      events.save(
                          missedEvent(
                              schedule, older, newest, run, fired, grace, recorded + uncounted));
                }
              }
              if (after != null) {
                schedules.advance(schedule.getId(), from, newest, after);
              } else {
                log.error(
                    "schedule '{}' ({}) never fires again after {}; pause or change it",
                    schedule.getName(),
                    cron,
                    newest);
              }
              return new Handled(claimed, fired, event);
            });
    if (result == null || !result.claimed()) {
      return false;
    }
    // run: the older fire times were coalesced into it; not run: every due fire time was missed
    metrics.missed(run ? dueCount - 1 : dueCount, run);
    if (result.fired() != null) {
      metrics.fired(result.fired().outcome());
      firer.publish(result.fired(), schedule);
      log.info(
          "schedule '{}' fired for {}: {} ({})",
          schedule.getName(),
          newest,
          result.fired().outcome(),
          result.fired().detail());
    }
    if (result.event() != null) {
      log.warn(
          "schedule '{}' missed {} fire time(s) up to {} while no scheduler ran: {}",
          schedule.getName(),
          dueCount - (run ? 1 : 0),
          newest,
          run ? "coalesced into one run" : "not run");
      eventRelay.publish(result.event());
    }
    return true;
  }

  private record Handled(boolean claimed, @Nullable Fired fired, @Nullable JobEventRecord event) {}

  private static String missedDetail(
      BackupSchedule schedule, Instant newest, Duration grace, boolean severalMissed) {
    if (severalMissed && schedule.getMisfirePolicy() == MisfirePolicy.SKIP) {
      return "missed while no scheduler ran; misfire policy SKIP never runs missed firings";
    }
    return "missed while no scheduler ran; the newest missed fire time "
        + newest
        + " was older than the grace period of "
        + grace
        + " when a scheduler found it";
  }

  private JobEventRecord missedEvent(
      BackupSchedule schedule,
      List<Instant> older,
      Instant newest,
      boolean run,
      @Nullable Fired fired,
      Duration grace,
      long missedCount) {
    Instant first = older.isEmpty() ? newest : older.getFirst();
    Instant last = run ? older.getLast() : newest;
    List<UUID> jobIds = fired == null ? List.of() : fired.jobIds();
    String detail =
        !run
            ? missedDetail(schedule, newest, grace, older.size() > 0)
            : fired != null && fired.outcome() != FiringOutcome.JOB_CREATED
                ? "coalesced into the run of " + newest + ", which was skipped: " + fired.detail()
                : "coalesced into one run for " + newest;
    ScheduleEvent event =
        ScheduleEvent.missed(
            UUID.randomUUID(),
            clock.instant(),
            new ScheduleEvent.Data(
                schedule.getId(),
                schedule.getName(),
                schedule.getJobKind().apiName(),
                schedule.getTarget(),
                (int) Math.min(Integer.MAX_VALUE, missedCount),
                first,
                last,
                run ? ScheduleEvent.COALESCED : ScheduleEvent.MISSED,
                jobIds,
                grace.toSeconds(),
                detail));
    return JobEventRecord.scheduleEvent(event, codec);
  }
}
