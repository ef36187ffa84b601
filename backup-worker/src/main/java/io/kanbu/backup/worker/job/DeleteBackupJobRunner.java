package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code DELETE_BACKUP} job: deletes one backup on an operator's request, every copy (object
 * and manifest) on every storage that has one, and keeps its rows as history.
 *
 * <p>Two steps, each only while this worker owns the job. First, with the backup's row locked, it
 * checks again that the backup is not pinned and that no other queued or running job uses it, and
 * marks it {@code DELETING} (committed before any object goes, so that from then on nothing reads
 * it: verify, restore, download and replication want it {@code AVAILABLE}). Then {@link
 * BackupCopyDeleter} deletes the copies and, in the transaction that ends the job, the backup is
 * marked {@code DELETED}. If a storage fails, the job fails naming it; the copies already deleted
 * are recorded so, the backup stays {@code DELETING}, and deleting it again finishes the work
 * (objects already gone count as deleted).
 */
@Component
public class DeleteBackupJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(DeleteBackupJobRunner.class);

  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final BackupCopyDeleter deleter;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public DeleteBackupJobRunner(
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      BackupCopyDeleter deleter,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.backups = backups;
    this.jobs = jobs;
    this.deleter = deleter;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.DELETE_BACKUP;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    if (outcomes.backupOrFail(job, "delete") == null) {
      return;
    }
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      AtomicReference<@Nullable JobSummary> early = new AtomicReference<>();
      if (!outcomes.whileOwned(job, now -> early.set(startDeleting(job)))) {
        log.warn("job {}: lease lost before deleting; another worker has it now", job.id());
        return;
      }
      JobSummary ended = early.get();
      outcomes.summarizedWithBackup(job, now -> ended != null ? ended : deleteCopies(job, now));
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }

  /**
   * Locks the backup, checks that it may go and marks it {@code DELETING}.
   *
   * @return null to go on deleting; else how the job ends without deleting anything
   */
  private @Nullable JobSummary startDeleting(ClaimedJob job) {
    UUID backupId = java.util.Objects.requireNonNull(job.backupId());
    BackupRecord backup = backups.findForUpdate(backupId).orElse(null);
    if (backup == null) {
      return refused(backupId, "backup '" + backupId + "' left the catalog; nothing to delete");
    }
    String name = describe(backup);
    if (backup.getStatus() == BackupStatus.DELETED) {
      return new JobSummary(name + " was deleted already; nothing to do", List.of());
    }
    if (backup.isPinned()) {
      return refused(
          backupId, "backup '" + backupId + "' is pinned: unpin it first, then delete it again");
    }
    BackupJob user = otherJobUsing(backupId, job.id());
    if (user != null) {
      return refused(
          backupId,
          "backup '"
              + backupId
              + "' is in use by "
              + user.describe()
              + ": wait for it to end, then delete the backup again");
    }
    String requestedBy = jobs.findById(job.id()).map(BackupJob::getRequestedBy).orElse(null);
    backup.markDeleting(
        job.id(),
        "deleted on request"
            + (requestedBy == null ? "" : " of '" + requestedBy + "'")
            + " by DELETE_BACKUP job "
            + job.id());
    log.info("job {}: deleting {}", job.id(), name);
    return null;
  }

  /** Deletes the copies; the summary says what went and, if a storage failed, what to do. */
  private JobSummary deleteCopies(ClaimedJob job, Instant now) {
    UUID backupId = java.util.Objects.requireNonNull(job.backupId());
    BackupRecord backup = backups.findForUpdate(backupId).orElseThrow();
    String name = describe(backup);
    BackupCopyDeleter.Outcome deletion = deleter.deleteCopies(backup, now);
    String deleted =
        !deletion.deleted().isEmpty()
            ? "deleted its copies on " + quoted(deletion.deleted())
            : deletion.complete() ? "no copy was left to delete" : "deleted no copy";
    if (!deletion.complete()) {
      return new JobSummary(
          name + ": " + deleted + "; the copy on '" + deletion.storage() + "' is left",
          List.of(),
          deletion.failure()
              + "; the backup stays DELETING and nothing reads it: make storage '"
              + deletion.storage()
              + "' reachable, then delete the backup again (DELETE /api/v1/backups/"
              + backupId
              + ") to finish");
    }
    backup.markDeleted(
        job.id(),
        backup.getDeleteReason() == null ? "deleted by job " + job.id() : backup.getDeleteReason(),
        now);
    log.info("job {}: {} deleted ({})", job.id(), name, deleted);
    return new JobSummary(name + " deleted: " + deleted, List.of());
  }

  private @Nullable BackupJob otherJobUsing(UUID backupId, UUID self) {
    return jobs.findActiveUsingABackup().stream()
        .filter(j -> backupId.equals(j.getBackupId()) && !self.equals(j.getId()))
        .findFirst()
        .orElse(null);
  }

  private static JobSummary refused(UUID backupId, String why) {
    return new JobSummary("backup " + backupId + " was not deleted", List.of(), why);
  }

  private static String describe(BackupRecord backup) {
    return "backup " + backup.getId() + " ('" + backup.getFileName() + "')";
  }

  private static String quoted(List<String> storages) {
    return storages.stream()
        .map(s -> "'" + s + "'")
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
