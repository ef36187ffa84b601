package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.jspecify.annotations.Nullable;

/**
 * A cron schedule: what to start ({@link ScheduleJobKind}) on which target, when (a cron expression
 * in a time zone), and what to do with firings no scheduler handled in time. {@code nextFireAt} is
 * the next fire time a scheduler has to handle; schedulers move it forward with a conditional
 * UPDATE ({@link BackupScheduleRepository#advance}), and the firing itself is claimed in {@code
 * schedule_firing}, so concurrent replicas never start a firing twice.
 */
@Entity
@Table(name = "backup_schedule")
// only changed columns: an API edit must not write back a next_fire_at a scheduler moved meanwhile
@DynamicUpdate
public class BackupSchedule {

  /** Longest schedule name. */
  public static final int MAX_NAME_LENGTH = 100;

  @Id private UUID id;

  @Column(nullable = false, unique = true)
  private String name;

  @Enumerated(EnumType.STRING)
  @Column(name = "job_kind", nullable = false)
  private ScheduleJobKind jobKind;

  @Column(nullable = false)
  private String target;

  @Column(name = "cron_expression", nullable = false)
  private String cronExpression;

  @Column(name = "time_zone", nullable = false)
  private String timeZone;

  @Column(nullable = false)
  private boolean enabled;

  @Enumerated(EnumType.STRING)
  @Column(name = "misfire_policy", nullable = false)
  private MisfirePolicy misfirePolicy;

  @Column(name = "misfire_grace_seconds")
  private @Nullable Long misfireGraceSeconds;

  // retention_policy (jsonb) is reserved for retention and not mapped until something reads it

  @Column(name = "last_fired_at")
  private @Nullable Instant lastFiredAt;

  @Column(name = "next_fire_at")
  private @Nullable Instant nextFireAt;

  @Column(name = "created_by")
  private @Nullable String createdBy;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected BackupSchedule() {}

  /**
   * A new schedule; when enabled, its first fire time is the cron's first after {@code now}.
   *
   * @param misfireGrace null = the scheduler's default
   */
  public BackupSchedule(
      UUID id,
      String name,
      ScheduleJobKind jobKind,
      String target,
      CronSchedule cron,
      boolean enabled,
      MisfirePolicy misfirePolicy,
      @Nullable Duration misfireGrace,
      @Nullable String createdBy,
      Instant now) {
    this.id = Objects.requireNonNull(id, "id");
    this.createdBy = createdBy;
    this.createdAt = now;
    this.enabled = false;
    change(name, jobKind, target, misfirePolicy, misfireGrace, now);
    reschedule(cron, now);
    if (enabled) {
      resume(now);
    }
  }

  /** Changes everything but the timing; the next fire time stays. */
  public void change(
      String name,
      ScheduleJobKind jobKind,
      String target,
      MisfirePolicy misfirePolicy,
      @Nullable Duration misfireGrace,
      Instant now) {
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "a schedule name has 1 to " + MAX_NAME_LENGTH + " characters, was '" + name + "'");
    }
    if (misfireGrace != null && misfireGrace.isNegative()) {
      throw new IllegalArgumentException("misfire grace must not be negative: " + misfireGrace);
    }
    this.name = name;
    this.jobKind = Objects.requireNonNull(jobKind, "jobKind");
    this.target = Objects.requireNonNull(target, "target");
    this.misfirePolicy = Objects.requireNonNull(misfirePolicy, "misfirePolicy");
    this.misfireGraceSeconds = misfireGrace == null ? null : misfireGrace.toSeconds();
    this.updatedAt = now;
  }

  /**
   * Sets a new cron expression or time zone. An enabled schedule next fires at the new cron's first
   * time after {@code now}; firings of the old timing that were due and not yet handled are
   * dropped.
   */
  public void reschedule(CronSchedule cron, Instant now) {
    this.cronExpression = cron.expression();
    this.timeZone = cron.zone().getId();
    this.updatedAt = now;
    if (enabled) {
      this.nextFireAt = firstFireAfter(cron, now);
    }
  }

  /** Stops firing; nothing is recorded as missed while paused. */
  public void pause(Instant now) {
    this.enabled = false;
    this.nextFireAt = null;
    this.updatedAt = now;
  }

  /** Fires again, from the cron's first time after {@code now} (paused times are not caught up). */
  public void resume(Instant now) {
    if (!enabled) {
      this.nextFireAt = firstFireAfter(cron(), now);
      this.enabled = true;
    }
    this.updatedAt = now;
  }

  private static Instant firstFireAfter(CronSchedule cron, Instant now) {
    Instant next = cron.nextAfter(now);
    if (next == null) {
      throw new IllegalArgumentException(cron + " never fires after " + now);
    }
    return next;
  }

  /** The timing, parsed. */
  public CronSchedule cron() {
    return CronSchedule.parse(cronExpression, ZoneId.of(timeZone));
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public ScheduleJobKind getJobKind() {
    return jobKind;
  }

  public String getTarget() {
    return target;
  }

  public String getCronExpression() {
    return cronExpression;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public MisfirePolicy getMisfirePolicy() {
    return misfirePolicy;
  }

  /** The schedule's own grace period; null = the scheduler's default. */
  public @Nullable Duration getMisfireGrace() {
    return misfireGraceSeconds == null ? null : Duration.ofSeconds(misfireGraceSeconds);
  }

  public @Nullable Instant getLastFiredAt() {
    return lastFiredAt;
  }

  public @Nullable Instant getNextFireAt() {
    return nextFireAt;
  }

  public @Nullable String getCreatedBy() {
    return createdBy;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }
}
