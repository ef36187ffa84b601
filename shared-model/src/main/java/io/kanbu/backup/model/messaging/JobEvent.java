package io.kanbu.backup.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A versioned event envelope (schema {@code job-event.v1.schema.json}), published on {@link
 * MessagingTopology#EVENTS_EXCHANGE} with {@link #type()} as routing key.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param id unique per event; subscribers deduplicate on it
 * @param type {@code job.started} when a worker claims a job (each attempt); at its end {@code
 *     job.succeeded} or {@code job.failed}, for {@code VERIFY} jobs {@code verify.succeeded} or
 *     {@code verify.failed}, for {@code RESTORE_DATABASE} jobs {@code restore.succeeded} or {@code
 *     restore.failed}, for a cancelled job {@code job.cancelled}; beside a job's end, {@code
 *     backup.degraded} or {@code backup.repaired} when it changed whether a backup's copies are
 *     intact
 * @param occurredAt when the job started or ended
 * @param data what a subscriber needs without a second call
 */
public record JobEvent(int schemaVersion, UUID id, String type, Instant occurredAt, Data data) {

  public static final int SCHEMA_VERSION = 1;
  public static final String JOB_STARTED = "job.started";
  public static final String JOB_SUCCEEDED = "job.succeeded";
  public static final String JOB_FAILED = "job.failed";
  public static final String JOB_CANCELLED = "job.cancelled";
  public static final String VERIFY_SUCCEEDED = "verify.succeeded";
  public static final String VERIFY_FAILED = "verify.failed";
  public static final String RESTORE_SUCCEEDED = "restore.succeeded";
  public static final String RESTORE_FAILED = "restore.failed";
  public static final String BACKUP_DEGRADED = "backup.degraded";
  public static final String BACKUP_REPAIRED = "backup.repaired";

  public JobEvent {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion " + schemaVersion + "; this version reads " + SCHEMA_VERSION);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(data, "data");
  }

  /**
   * The event of a job that changed whether a backup's copies are intact: {@code backup.degraded}
   * when a copy failed, went missing or was found corrupt, {@code backup.repaired} when every copy
   * is available again.
   *
   * @param data the job's data with the backup's copies
   */
  public static JobEvent copiesChanged(UUID id, Instant occurredAt, Data data) {
    Copies copies = data.copies();
    if (copies == null) {
      throw new IllegalArgumentException("a copies event needs the copies");
    }
    return new JobEvent(
        SCHEMA_VERSION,
        id,
        copies.degraded() ? BACKUP_DEGRADED : BACKUP_REPAIRED,
        occurredAt,
        data);
  }

  /** The event for a job a worker has just claimed ({@code data.status} RUNNING). */
  public static JobEvent jobStarted(UUID id, Instant occurredAt, Data data) {
    if (data.status() != JobStatus.RUNNING) {
      throw new IllegalArgumentException(
          "job '" + data.jobId() + "' is not running: status " + data.status());
    }
    return new JobEvent(SCHEMA_VERSION, id, JOB_STARTED, occurredAt, data);
  }

  /**
   * Whether this event announces a job's end: not {@code job.started}, and not the {@code
   * backup.degraded}/{@code backup.repaired} published beside an end.
   */
  @JsonIgnore
  public boolean isJobEnd() {
    return !JOB_STARTED.equals(type)
        && !BACKUP_DEGRADED.equals(type)
        && !BACKUP_REPAIRED.equals(type);
  }

  /** The event for a job that reached a final state. */
  public static JobEvent jobEnded(UUID id, Instant occurredAt, Data data) {
    boolean verify = data.jobType() == JobType.VERIFY;
    boolean restore = data.jobType() == JobType.RESTORE_DATABASE;
    String type =
        switch (data.status()) {
          case SUCCEEDED -> verify ? VERIFY_SUCCEEDED : restore ? RESTORE_SUCCEEDED : JOB_SUCCEEDED;
          case FAILED -> verify ? VERIFY_FAILED : restore ? RESTORE_FAILED : JOB_FAILED;
          case CANCELLED -> JOB_CANCELLED;
          default ->
              throw new IllegalArgumentException(
                  "job '" + data.jobId() + "' has not ended: status " + data.status());
        };
    return new JobEvent(SCHEMA_VERSION, id, type, occurredAt, data);
  }

  /**
   * The job's outcome.
   *
   * @param sha256 SHA-256 (hex) of the compressed plaintext, as the original Kanbu recorded it
   * @param sha256Stored SHA-256 (hex) of the bytes in storage
   * @param durationMs from the job's start to its end
   * @param warningCount how many warnings the job recorded (it is SUCCEEDED "with warnings"); null
   *     (absent) when there were none
   * @param warnings the first {@link #MAX_WARNINGS} of them, each naming what and where; null
   *     (absent) when there were none
   * @param recoveryPointId the id that jobs triggered together ({@code {"type":"all"}}) share; null
   *     (absent) for a job triggered alone
   * @param summary what a job that makes no backup did, in one line (a rescan's counts, where a
   *     restore extracted to); null (absent) otherwise
   * @param drill the result of a restore drill ({@code VERIFY} with {@code drill}); null (absent)
   *     for other jobs and for a drill whose verification failed before it restored anything
   * @param encrypted whether the job's backup is stored encrypted; null (absent) for a job without
   *     a backup
   * @param scheduleName the schedule whose firing created the job; null (absent) for a job no
   *     schedule started
   * @param copies the backup's copies on the configured storages ({@code BACKUP_STORAGE} lists
   *     several): how many are available, and whether the backup is degraded; null (absent) for
   *     jobs that do not write or check copies
   */
  public record Data(
      UUID jobId,
      JobType jobType,
      String target,
      JobStatus status,
      TriggerSource trigger,
      int attempts,
      @Nullable UUID backupId,
      @Nullable String fileName,
      @Nullable Long rawBytes,
      @Nullable Long compressedBytes,
      @Nullable Long storedBytes,
      @Nullable String sha256,
      @Nullable String sha256Stored,
      @Nullable Long durationMs,
      @Nullable String error,
      // the ones below are omitted when null: they were added to v1 compatibly
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer warningCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> warnings,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable UUID recoveryPointId,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String summary,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Drill drill,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean encrypted,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String scheduleName,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Copies copies) {

    /** Most warnings an event carries; the job has them all. */
    public static final int MAX_WARNINGS = 20;

    public Data {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(jobType, "jobType");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(trigger, "trigger");
      if (warnings != null) {
        warnings = List.copyOf(warnings.subList(0, Math.min(warnings.size(), MAX_WARNINGS)));
      }
    }

    /** These data with the backup's copies. */
    public Data withCopies(@Nullable Copies backupCopies) {
      return new Data(
          jobId,
          jobType,
          target,
          status,
          trigger,
          attempts,
          backupId,
          fileName,
          rawBytes,
          compressedBytes,
          storedBytes,
          sha256,
          sha256Stored,
          durationMs,
          error,
          warningCount,
          warnings,
          recoveryPointId,
          summary,
          drill,
          encrypted,
          scheduleName,
          backupCopies);
    }

    /** The outcome of a job without warnings, recovery point or summary. */
    public Data(
        UUID jobId,
        JobType jobType,
        String target,
        JobStatus status,
        TriggerSource trigger,
        int attempts,
        @Nullable UUID backupId,
        @Nullable String fileName,
        @Nullable Long rawBytes,
        @Nullable Long compressedBytes,
        @Nullable Long storedBytes,
        @Nullable String sha256,
        @Nullable String sha256Stored,
        @Nullable Long durationMs,
        @Nullable String error) {
      this(
          jobId,
          jobType,
          target,
          status,
          trigger,
          attempts,
          backupId,
          fileName,
          rawBytes,
          compressedBytes,
          storedBytes,
          sha256,
          sha256Stored,
          durationMs,
          error,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    /**
     * These data with the job's warnings (none: both fields absent), its recovery point, its
     * summary and, for a restore drill, its result.
     */
    public Data withJobContext(
        List<String> allWarnings,
        @Nullable UUID recoveryPoint,
        @Nullable String jobSummary,
        @Nullable Drill drillResult) {
      boolean any = !allWarnings.isEmpty();
      return new Data(
          jobId,
          jobType,
          target,
          status,
          trigger,
          attempts,
          backupId,
          fileName,
          rawBytes,
          compressedBytes,
          storedBytes,
          sha256,
          sha256Stored,
          durationMs,
          error,
          any ? allWarnings.size() : null,
          any ? allWarnings : null,
          recoveryPoint,
          jobSummary,
          drillResult,
          encrypted,
          scheduleName,
          copies);
    }

    /** This outcome with whether its backup is encrypted and the schedule that started the job. */
    public Data withOrigin(@Nullable Boolean backupEncrypted, @Nullable String schedule) {
      return new Data(
          jobId,
          jobType,
          target,
          status,
          trigger,
          attempts,
          backupId,
          fileName,
          rawBytes,
          compressedBytes,
          storedBytes,
          sha256,
          sha256Stored,
          durationMs,
          error,
          warningCount,
          warnings,
          recoveryPointId,
          summary,
          drill,
          backupEncrypted,
          schedule,
          copies);
    }

    /** The identity of a job with no outcome yet (for {@code job.started}). */
    public static Data withoutOutcome(
        UUID jobId,
        JobType jobType,
        String target,
        JobStatus status,
        TriggerSource trigger,
        int attempts,
        @Nullable UUID backupId) {
      return new Data(
          jobId, jobType, target, status, trigger, attempts, backupId, null, null, null, null, null,
          null, null, null);
    }
  }

  /**
   * The copies of a backup on its storages.
   *
   * @param available how many copies are complete and intact, as far as the catalog knows
   * @param total how many copies the backup should have (one per storage it was written to)
   * @param degraded fewer copies are available than it should have ("degraded: 1 of 2 copies")
   * @param storages each copy: its storage's name, its status ({@code PENDING}, {@code AVAILABLE},
   *     {@code FAILED}, {@code MISSING}, {@code CORRUPT}) and its last error
   */
  public record Copies(int available, int total, boolean degraded, List<Copy> storages) {

    public Copies {
      storages = List.copyOf(storages);
      if (available < 0 || available > total || degraded != (available < total)) {
        throw new IllegalArgumentException(
            "copies: " + available + " of " + total + " available, degraded " + degraded);
      }
    }

    /** The counts of these copies. */
    public static Copies of(List<Copy> storages) {
      int available = (int) storages.stream().filter(c -> c.status().equals("AVAILABLE")).count();
      return new Copies(available, storages.size(), available < storages.size(), storages);
    }
  }

  /** One copy of a backup: its storage, status, and last error (null when none). */
  public record Copy(
      String storage,
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) {

    public Copy {
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * How a restore drill went.
   *
   * @param passed the backup restored into the scratch database and every compared row count
   *     matched its manifest
   * @param seconds how long the restore took (the recovery time it shows); null if it did not get
   *     that far
   * @param error why it failed (the tables whose counts differ, psql's error); null if it passed
   */
  public record Drill(boolean passed, @Nullable Double seconds, @Nullable String error) {}
}
