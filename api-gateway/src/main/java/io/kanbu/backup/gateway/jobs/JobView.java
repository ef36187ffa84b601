package io.kanbu.backup.gateway.jobs;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as the API shows it. Leaves out the internals of the outbox and the lease.
 *
 * @param id the job id, also the command's AMQP {@code message_id}
 * @param type what it does
 * @param status where it stands
 * @param target the configured target it works on
 * @param trigger who created it: API, SCHEDULE or MESSAGE
 * @param requestedBy the caller's label
 * @param createdAt when it was created
 * @param startedAt when a worker first started it
 * @param finishedAt when it ended
 * @param attempts how many times a worker started it
 * @param maxAttempts how many starts it gets before a lost worker fails it for good
 * @param workerId the worker that runs or ran it
 * @param error why it failed (or why it was re-queued)
 * @param backupId the backup it produced
 * @param durationMs time from the first start to the end
 * @param warnings what did not go as planned in a job that still succeeded ("completed with
 *     warnings"), each naming its path or cause; empty otherwise
 * @param recoveryPointId shared by jobs triggered together (a database and a source backup)
 * @param mode how a database job reached PostgreSQL ({@code direct} or {@code docker})
 * @param modeReason why that mode was chosen
 * @param summary what a job that makes no backup did (e.g. a rescan's counts)
 * @param restore what a {@code RESTORE_DATABASE} job restores into; null for other types
 * @param parentJobId the restore a safety backup was taken for; null for other jobs
 * @param drill whether a {@code VERIFY} job is a restore drill
 * @param progress where a running job is, as its worker last reported it (its stage when it
 *     changes, its byte count every {@code KANBU_WORKER_PROGRESS_INTERVAL}); null for jobs that are
 *     not running and before the first report
 * @param links where to find it and its backup
 */
public record JobView(
    UUID id,
    JobType type,
    JobStatus status,
    String target,
    TriggerSource trigger,
    @Nullable String requestedBy,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    int attempts,
    int maxAttempts,
    @Nullable String workerId,
    @Nullable String error,
    @Nullable UUID backupId,
    @Nullable Long durationMs,
    List<String> warnings,
    @Nullable UUID recoveryPointId,
    @Nullable String mode,
    @Nullable String modeReason,
    @Nullable String summary,
    @Nullable Restore restore,
    @Nullable UUID parentJobId,
    boolean drill,
    @Nullable Progress progress,
    Links links) {

  /**
   * Where a running job is.
   *
   * @param stage the stage it is in, e.g. {@code dumping}, {@code applying}, {@code committing}
   *     (README "Job stages"); null if its worker reports none
   * @param bytesRead bytes its current stage has read: the dump or tar stream of a backup, the
   *     stored backup for a restore, verification or drill
   * @param bytesPerSecond the average rate of that reading since {@code since}
   * @param since when the byte count began (the stage that reads started)
   * @param reportedAt when its worker last reported
   */
  public record Progress(
      @Nullable String stage,
      long bytesRead,
      long bytesPerSecond,
      Instant since,
      Instant reportedAt) {

    static @Nullable Progress of(BackupJob job) {
      Long bytes = job.getProgressBytes();
      Instant at = job.getProgressAt();
      Instant started = job.getStartedAt();
      if (job.getStatus() != JobStatus.RUNNING || bytes == null || at == null || started == null) {
        return null;
      }
      Instant since = job.getProgressSince() == null ? started : job.getProgressSince();
      long millis = Math.max(1, Duration.between(since, at).toMillis());
      return new Progress(job.getProgressStage(), bytes, bytes * 1000 / millis, since, at);
    }
  }

  /**
   * What a restore job restores into.
   *
   * @param database the database it overwrites or creates; null = the target's own
   * @param terminateConnections whether it may end other sessions on it
   * @param safetyBackupWaiver why the requester waived the safety backup; null = not waived
   */
  public record Restore(
      @Nullable String database,
      boolean terminateConnections,
      @Nullable String safetyBackupWaiver) {}

  /**
   * Links of a job.
   *
   * @param self this job
   * @param backup its backup, once it produced one
   */
  public record Links(String self, @Nullable String backup) {}

  public static JobView of(BackupJob job) {
    Duration duration = job.duration();
    UUID backupId = job.getBackupId();
    BackupJob.RestoreDetails restore = job.getRestoreDetails();
    return new JobView(
        job.getId(),
        job.getType(),
        job.getStatus(),
        job.getTarget(),
        job.getTriggerSource(),
        job.getRequestedBy(),
        job.getCreatedAt(),
        job.getStartedAt(),
        job.getFinishedAt(),
        job.getAttempts(),
        job.getMaxAttempts(),
        job.getWorkerId(),
        job.getError(),
        backupId,
        duration == null ? null : duration.toMillis(),
        job.getWarnings(),
        job.getRecoveryPointId(),
        job.getMode(),
        job.getModeReason(),
        job.getSummary(),
        restore == null
            ? null
            : new Restore(
                restore.database(), restore.terminateConnections(), restore.safetyBackupWaiver()),
        job.getParentJobId(),
        job.isDrill(),
        Progress.of(job),
        new Links(selfLink(job.getId()), backupId == null ? null : "/api/v1/backups/" + backupId));
  }

  /** The path of a job in the read API. */
  public static String selfLink(UUID jobId) {
    return "/api/v1/jobs/" + jobId;
  }
}
