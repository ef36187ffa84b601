package io.kanbu.backup.model.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event about a schedule rather than a job, in the same envelope and on the same exchange as
 * {@link JobEvent} (schema {@code job-event.v1.schema.json}, whose {@code data} depends on the
 * type). Today there is one: {@link #SCHEDULE_MISSED}.
 *
 * @param schemaVersion always {@link JobEvent#SCHEMA_VERSION}
 * @param id unique per event; subscribers deduplicate on it
 * @param type {@code schedule.missed}
 * @param occurredAt when a scheduler found the missed firings
 * @param data which schedule, which firings, and what was done about them
 */
public record ScheduleEvent(
    int schemaVersion, UUID id, String type, Instant occurredAt, Data data) {

  /** Firings of a schedule passed while no scheduler ran. */
  public static final String SCHEDULE_MISSED = "schedule.missed";

  /** {@link Data#outcome()}: the missed firings ran once, as one job (or recovery point). */
  public static final String COALESCED = "COALESCED";

  /** {@link Data#outcome()}: the missed firings did not run. */
  public static final String MISSED = "MISSED";

  public ScheduleEvent {
    if (schemaVersion != JobEvent.SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion "
              + schemaVersion
              + "; this version reads "
              + JobEvent.SCHEMA_VERSION);
    }
    Objects.requireNonNull(id, "id");
    if (!SCHEDULE_MISSED.equals(type)) {
      throw new IllegalArgumentException("unknown schedule event type '" + type + "'");
    }
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(data, "data");
  }

  /** A {@code schedule.missed} event. */
  public static ScheduleEvent missed(UUID id, Instant occurredAt, Data data) {
    return new ScheduleEvent(JobEvent.SCHEMA_VERSION, id, SCHEDULE_MISSED, occurredAt, data);
  }

  /**
   * The missed firings of one schedule.
   *
   * @param scheduleId the schedule
   * @param scheduleName its name
   * @param jobKind what it starts: {@code database}, {@code source}, {@code all}, {@code verify},
   *     {@code restore-drill} or {@code prune}
   * @param target the target it starts jobs on
   * @param missedCount how many fire times passed without a scheduler
   * @param firstMissedAt the oldest of them
   * @param lastMissedAt the newest of them
   * @param outcome {@link #COALESCED} (they ran once, see {@code jobIds}) or {@link #MISSED}
   * @param jobIds the jobs of the coalesced run; empty when {@link #MISSED}, or when the run was
   *     skipped because a job of the schedule was still queued or running
   * @param graceSeconds the grace period that decided between the two
   */
  public record Data(
      UUID scheduleId,
      String scheduleName,
      String jobKind,
      String target,
      int missedCount,
      Instant firstMissedAt,
      Instant lastMissedAt,
      String outcome,
      List<UUID> jobIds,
      long graceSeconds,
      @Nullable String detail) {

    public Data {
      Objects.requireNonNull(scheduleId, "scheduleId");
      Objects.requireNonNull(scheduleName, "scheduleName");
      Objects.requireNonNull(jobKind, "jobKind");
      Objects.requireNonNull(target, "target");
      if (missedCount < 1) {
        throw new IllegalArgumentException("missedCount must be at least 1, was " + missedCount);
      }
      Objects.requireNonNull(firstMissedAt, "firstMissedAt");
      Objects.requireNonNull(lastMissedAt, "lastMissedAt");
      if (!COALESCED.equals(outcome) && !MISSED.equals(outcome)) {
        throw new IllegalArgumentException("unknown outcome '" + outcome + "'");
      }
      jobIds = List.copyOf(jobIds);
    }
  }
}
