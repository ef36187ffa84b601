package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.job.IllegalJobTransitionException;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job: the unit of all work, and the outbox of its own command. Its status changes only through
 * the intent methods below, each checked against {@link JobStatus}'s transition table. Claiming is
 * the one exception: it is a single conditional UPDATE ({@link BackupJobRepository#claim}) so that
 * two workers can never both win.
 */
@Entity
@Table(name = "backup_job")
public class BackupJob {

  /** Longest error text kept; pg_dump's stderr can be long. */
  public static final int MAX_ERROR_LENGTH = 8000;

  @Id private UUID id;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private JobType type;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private JobStatus status;

  @Column(nullable = false)
  private String target;

  @Column(name = "lock_key")
  private @Nullable String lockKey;

  @Enumerated(EnumType.STRING)
  @Column(name = "trigger_source", nullable = false)
  private TriggerSource triggerSource;

  @Column(name = "requested_by")
  private @Nullable String requestedBy;

  @Column(name = "idempotency_key")
  private @Nullable String idempotencyKey;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "published_at")
  private @Nullable Instant publishedAt;

  @Column(name = "started_at")
  private @Nullable Instant startedAt;

  @Column(name = "finished_at")
  private @Nullable Instant finishedAt;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "max_attempts", nullable = false)
  private int maxAttempts;

  @Column(name = "lease_until")
  private @Nullable Instant leaseUntil;

  @Column(name = "worker_id")
  private @Nullable String workerId;

  private @Nullable String error;

  @Column(name = "backup_id")
  private @Nullable UUID backupId;

  /** Problems that did not stop the job, one per line (see {@link #getWarnings()}). */
  @Column(name = "warnings")
  private @Nullable String warnings;

  @Column(name = "recovery_point_id")
  private @Nullable UUID recoveryPointId;

  @Column(name = "mode")
  private @Nullable String mode;

  private @Nullable String summary;

  @Column(name = "mode_reason")
  private @Nullable String modeReason;

  /** The database a restore overwrites or creates; null = the target's own database. */
  @Column(name = "restore_database")
  private @Nullable String restoreDatabase;

  @Column(name = "terminate_connections", nullable = false)
  private boolean terminateConnections;

  @Column(name = "safety_backup_waiver")
  private @Nullable String safetyBackupWaiver;

  /** The restore a safety backup protects. */
  @Column(name = "parent_job_id")
  private @Nullable UUID parentJobId;

  /** A {@code VERIFY} that also restores the backup into a scratch database (a restore drill). */
  @Column(name = "drill", nullable = false)
  private boolean drill;

  /** The directory a {@code RESTORE_SOURCE} job extracts into. */
  @Column(name = "restore_directory")
  private @Nullable String restoreDirectory;

  /** The target's name typed again to allow a restore into its live tree. */
  @Column(name = "overwrite_live_tree")
  private @Nullable String overwriteLiveTree;

  /** The schedule firing that created this job; null for jobs no schedule started. */
  @Column(name = "schedule_firing_id")
  private @Nullable UUID scheduleFiringId;

  /** The name of that firing's schedule when it fired; null for jobs no schedule started. */
  @Column(name = "schedule_name")
  private @Nullable String scheduleName;

  /** The stage a running job is in, e.g. {@code dumping}, as its worker last wrote it. */
  @Column(name = "progress_stage")
  private @Nullable String progressStage;

  /** When the byte count of {@link #progressBytes} began (its stage's start). */
  @Column(name = "progress_since")
  private @Nullable Instant progressSince;

  /** Bytes the running job's current stage has read so far, as its worker last reported them. */
  @Column(name = "progress_bytes")
  private @Nullable Long progressBytes;

  /** When its worker last reported {@link #progressBytes}. */
  @Column(name = "progress_at")
  private @Nullable Instant progressAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected BackupJob() {}

  private BackupJob(
      UUID id,
      JobType type,
      String target,
      TriggerSource triggerSource,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.id = Objects.requireNonNull(id, "id");
    this.type = Objects.requireNonNull(type, "type");
    this.target = Objects.requireNonNull(target, "target");
    this.lockKey = type.lockKey(target);
    this.triggerSource = Objects.requireNonNull(triggerSource, "triggerSource");
    this.requestedBy = requestedBy;
    this.idempotencyKey = idempotencyKey;
    this.maxAttempts = maxAttempts;
    this.status = JobStatus.QUEUED;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** A new job waiting for its command to be published. */
  public static BackupJob queued(
      UUID id,
      JobType type,
      String target,
      TriggerSource triggerSource,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    return new BackupJob(
        id, type, target, triggerSource, requestedBy, idempotencyKey, maxAttempts, now);
  }

  /** A new job about one existing backup (a {@code VERIFY}), waiting for its command. */
  public static BackupJob queuedFor(
      UUID backupId,
      UUID id,
      JobType type,
      String target,
      TriggerSource triggerSource,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    BackupJob job =
        new BackupJob(
            id, type, target, triggerSource, requestedBy, idempotencyKey, maxAttempts, now);
    job.backupId = Objects.requireNonNull(backupId, "backupId");
    return job;
  }

  /**
   * A new {@code RESTORE_DATABASE} job of one backup, waiting for its command.
   *
   * @param details what to restore into and how
   */
  public static BackupJob queuedRestore(
      UUID backupId,
      UUID id,
      String target,
      RestoreDetails details,
      TriggerSource triggerSource,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    BackupJob job =
        queuedFor(
            backupId,
            id,
            JobType.RESTORE_DATABASE,
            target,
            triggerSource,
            requestedBy,
            idempotencyKey,
            maxAttempts,
            now);
    job.restoreDatabase = details.database();
    job.terminateConnections = details.terminateConnections();
    job.safetyBackupWaiver = details.safetyBackupWaiver();
    return job;
  }

  /**
   * A new {@code RESTORE_SOURCE} job: extract the source backup {@code backupId} into a directory.
   */
  public static BackupJob queuedSourceRestore(
      UUID backupId,
      UUID id,
      String target,
      SourceRestoreDetails details,
      TriggerSource triggerSource,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    BackupJob job =
        queuedFor(
            backupId,
            id,
            JobType.RESTORE_SOURCE,
            target,
            triggerSource,
            requestedBy,
            idempotencyKey,
            maxAttempts,
            now);
    job.restoreDirectory = details.directory();
    job.overwriteLiveTree = details.overwriteLiveTree();
    return job;
  }

  /**
   * The safety backup of a restore's target: a normal {@code BACKUP_DATABASE} job linked to the
   * restore, run by the restore's worker at once. It takes no target lock, because the restore
   * holds it for both; and it has one attempt, so the reaper fails rather than re-queues it if the
   * worker dies (the restore is then re-run as a whole).
   */
  public static BackupJob safetyBackupOf(BackupJob restore, UUID id, Instant now) {
    if (restore.type != JobType.RESTORE_DATABASE) {
      throw new IllegalArgumentException("job " + restore.id + " is not a restore");
    }
    BackupJob job =
        new BackupJob(
            id,
            JobType.BACKUP_DATABASE,
            restore.target,
            restore.triggerSource,
            "safety backup for restore " + restore.id,
            null,
            1,
            now);
    job.lockKey = null;
    job.parentJobId = restore.id;
    // run in place by the restore's worker: there is no command to publish
    job.publishedAt = now;
    return job;
  }

  /**
   * Makes this {@code VERIFY} job a restore drill: after the verification it restores the backup
   * into a scratch database, compares the row counts and drops the database.
   */
  public BackupJob asDrill() {
    if (type != JobType.VERIFY) {
      throw new IllegalArgumentException("only a VERIFY job can be a drill, not " + type);
    }
    this.drill = true;
    return this;
  }

  /**
   * What a restore job restores into.
   *
   * @param database the database to overwrite or create; null = the target's own database
   * @param terminateConnections whether other sessions on it may be ended
   * @param safetyBackupWaiver why no safety backup is wanted; null = take one when needed
   */
  public record RestoreDetails(
      @Nullable String database,
      boolean terminateConnections,
      @Nullable String safetyBackupWaiver) {

    public RestoreDetails {
      if (safetyBackupWaiver != null && safetyBackupWaiver.isBlank()) {
        throw new IllegalArgumentException("a safety backup waiver needs a reason");
      }
    }
  }

  /**
   * Where a source restore extracts to.
   *
   * @param directory the directory as requested (the worker checks it: absolute, empty or new, not
   *     the live tree unless confirmed)
   * @param overwriteLiveTree the target's name typed again to allow its live tree; null = not
   *     confirmed
   */
  public record SourceRestoreDetails(String directory, @Nullable String overwriteLiveTree) {
    public SourceRestoreDetails {
      Objects.requireNonNull(directory, "directory");
    }
  }

  /** Where a {@code RESTORE_SOURCE} job extracts to; null for other types. */
  public @Nullable SourceRestoreDetails getSourceRestoreDetails() {
    return restoreDirectory == null
        ? null
        : new SourceRestoreDetails(restoreDirectory, overwriteLiveTree);
  }

  /**
   * Records that a schedule's firing created this job (see {@code schedule_firing}), and the
   * schedule's name at that moment, which its events carry.
   */
  public BackupJob startedByFiring(UUID firingId, String schedule) {
    this.scheduleFiringId = Objects.requireNonNull(firingId, "firingId");
    this.scheduleName = Objects.requireNonNull(schedule, "schedule");
    return this;
  }

  /** The broker confirmed the command. */
  public void markPublished(Instant now) {
    this.publishedAt = now;
    this.updatedAt = now;
  }

  /** The job ran to success and produced {@code backupId} (null for jobs without a backup). */
  public void succeed(@Nullable UUID backupId, Instant now) {
    moveTo(JobStatus.SUCCEEDED, now);
    this.backupId = backupId;
    this.error = null; // a note left by an earlier, re-queued attempt no longer applies
    end(now);
  }

  /**
   * The job succeeded, but some things did not go as planned (a file changed while it was read...);
   * each warning names what and where. The job is SUCCEEDED "with warnings".
   */
  public void succeedWithWarnings(@Nullable UUID backupId, List<String> warnings, Instant now) {
    succeed(backupId, now);
    this.warnings = warnings.isEmpty() ? null : joinWarnings(warnings);
  }

  /**
   * A job that makes no backup succeeded; {@code summary} says what it did in one line (e.g. a
   * rescan's counts), the warnings what needs the operator's attention. The backup the job was
   * about, if any (a single-backup {@code REKEY}), stays recorded.
   */
  public void succeedWithSummary(String summary, List<String> warnings, Instant now) {
    succeedWithWarnings(backupId, warnings, now);
    this.summary = boundedSummary(summary);
  }

  /**
   * A job that makes no backup failed as a whole, though it may have done part of its work: {@code
   * error} says why, {@code summary} what it did, the warnings what went wrong item by item.
   */
  public void failWithSummary(String error, String summary, List<String> warnings, Instant now) {
    fail(error, now);
    this.warnings = warnings.isEmpty() ? null : joinWarnings(warnings);
    this.summary = boundedSummary(summary);
  }

  private static String boundedSummary(String summary) {
    return summary.length() > 1000 ? summary.substring(0, 997) + "..." : summary;
  }

  public @Nullable String getSummary() {
    return summary;
  }

  /** Makes this job part of a recovery point: jobs triggered together share its id. */
  public void joinRecoveryPoint(UUID recoveryPointId) {
    this.recoveryPointId = Objects.requireNonNull(recoveryPointId, "recoveryPointId");
  }

  /**
   * Records how a database job reaches PostgreSQL.
   *
   * @param mode {@code direct} or {@code docker}
   * @param reason why that mode was chosen, for the operator
   */
  public void recordMode(String mode, String reason, Instant now) {
    if (!mode.equals("direct") && !mode.equals("docker")) {
      throw new IllegalArgumentException("mode must be 'direct' or 'docker', was '" + mode + "'");
    }
    this.mode = mode;
    this.modeReason = truncate(reason);
    this.updatedAt = now;
  }

  /** The job failed for good; {@code error} says why and what to do. */
  public void fail(String error, Instant now) {
    moveTo(JobStatus.FAILED, now);
    this.error = truncate(error);
    end(now);
  }

  /** An operator cancelled the job. */
  public void cancel(Instant now) {
    moveTo(JobStatus.CANCELLED, now);
    end(now);
  }

  /**
   * The worker running this job stopped renewing its lease. Re-queue it (its command is published
   * again by the relay) while attempts remain, else fail it with the reason.
   *
   * @return true if re-queued, false if failed
   */
  public boolean recoverFromExpiredLease(Instant now) {
    String lostWorker = workerId;
    if (attempts < maxAttempts) {
      moveTo(JobStatus.QUEUED, now);
      this.publishedAt = null;
      this.leaseUntil = null;
      this.workerId = null;
      this.error = "worker '" + lostWorker + "' stopped renewing its lease; re-queued";
      return true;
    }
    fail(
        "worker '"
            + lostWorker
            + "' stopped renewing its lease and the job used all "
            + maxAttempts
            + " attempts; look at that worker's log, then trigger the job again",
        now);
    return false;
  }

  /** Whether a running job's lease ran out at {@code now}. */
  public boolean leaseExpiredAt(Instant now) {
    return status == JobStatus.RUNNING && leaseUntil != null && leaseUntil.isBefore(now);
  }

  /** Time from the first start to the end, if both are known. */
  public @Nullable Duration duration() {
    return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }

  private void moveTo(JobStatus next, Instant now) {
    if (!status.canTransitionTo(next)) {
      throw new IllegalJobTransitionException(id, status, next);
    }
    this.status = next;
    this.updatedAt = now;
  }

  private void end(Instant now) {
    this.finishedAt = now;
    this.leaseUntil = null;
  }

  /** Most warnings kept on a job; a tree in flux can produce thousands. */
  public static final int MAX_WARNINGS = 1000;

  private static String joinWarnings(List<String> warnings) {
    List<String> kept = new ArrayList<>();
    for (String warning : warnings.subList(0, Math.min(warnings.size(), MAX_WARNINGS))) {
      // one per line: a path with a line break must not split its warning
      kept.add(warning.replaceAll("\\p{Cntrl}", "?"));
    }
    if (warnings.size() > MAX_WARNINGS) {
      kept.add(
          "… and " + (warnings.size() - MAX_WARNINGS) + " more warnings; see the worker's log");
    }
    return String.join("\n", kept);
  }

  private static String truncate(String error) {
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH) + "…";
  }

  /** The job as a message names it: {@code VERIFY job '<id>' (QUEUED)}. */
  public String describe() {
    return type + " job '" + id + "' (" + status + ")";
  }

  public UUID getId() {
    return id;
  }

  public JobType getType() {
    return type;
  }

  public JobStatus getStatus() {
    return status;
  }

  public String getTarget() {
    return target;
  }

  public @Nullable String getLockKey() {
    return lockKey;
  }

  public TriggerSource getTriggerSource() {
    return triggerSource;
  }

  public @Nullable String getRequestedBy() {
    return requestedBy;
  }

  public @Nullable String getIdempotencyKey() {
    return idempotencyKey;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public @Nullable Instant getPublishedAt() {
    return publishedAt;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }

  public @Nullable Instant getFinishedAt() {
    return finishedAt;
  }

  public int getAttempts() {
    return attempts;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public @Nullable Instant getLeaseUntil() {
    return leaseUntil;
  }

  public @Nullable String getWorkerId() {
    return workerId;
  }

  public @Nullable String getError() {
    return error;
  }

  public @Nullable UUID getBackupId() {
    return backupId;
  }

  /** Problems that did not stop the job; empty when there were none. */
  public List<String> getWarnings() {
    return warnings == null || warnings.isEmpty() ? List.of() : List.of(warnings.split("\n"));
  }

  public @Nullable UUID getRecoveryPointId() {
    return recoveryPointId;
  }

  /** What a restore job restores into; null for other types. */
  public @Nullable RestoreDetails getRestoreDetails() {
    return type == JobType.RESTORE_DATABASE
        ? new RestoreDetails(restoreDatabase, terminateConnections, safetyBackupWaiver)
        : null;
  }

  /** Whether this {@code VERIFY} job is a restore drill. */
  public boolean isDrill() {
    return drill;
  }

  /** The restore a safety backup protects; null for other jobs. */
  public @Nullable UUID getParentJobId() {
    return parentJobId;
  }

  /** The schedule firing that created this job; null for jobs no schedule started. */
  public @Nullable UUID getScheduleFiringId() {
    return scheduleFiringId;
  }

  /** The name of the schedule that started this job, as it was then; null if none did. */
  public @Nullable String getScheduleName() {
    return scheduleName;
  }

  /** The stage the running job is in; null before its worker wrote one. */
  public @Nullable String getProgressStage() {
    return progressStage;
  }

  /** When the current byte count began; null before its worker wrote a stage. */
  public @Nullable Instant getProgressSince() {
    return progressSince;
  }

  /** Bytes read when its worker last reported; null before any report. */
  public @Nullable Long getProgressBytes() {
    return progressBytes;
  }

  /** When the worker last reported progress; null before any report. */
  public @Nullable Instant getProgressAt() {
    return progressAt;
  }

  /** {@code direct} or {@code docker} for a database job once it chose; null otherwise. */
  public @Nullable String getMode() {
    return mode;
  }

  public @Nullable String getModeReason() {
    return modeReason;
  }
}
