package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.restore.DatabaseRestore;
import io.kanbu.backup.core.restore.PreflightReport;
import io.kanbu.backup.core.restore.RestoreOutcome;
import io.kanbu.backup.core.restore.RestoreSteps;
import io.kanbu.backup.core.restore.StoredBackup;
import io.kanbu.backup.core.restore.TargetDatabase;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.DatabaseTarget;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a claimed {@code RESTORE_DATABASE} job, in the order that keeps the target safe: pre-flight
 * checks (server and psql versions, key, database, sessions), a full verification pass of the
 * backup, a safety backup of the database when it holds data (a {@code BACKUP_DATABASE} job linked
 * to this one, unless the request waived it with a reason), then the apply in one transaction.
 * Until the apply starts, nothing touched the target; a failed apply is rolled back. The job's
 * lease is renewed throughout and the end is a {@code restore.*} event.
 */
@Component
public class RestoreJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(RestoreJobRunner.class);

  private final DatabaseRestore restore;
  private final BackupVerifier verifier;
  private final CopyReader copyReader;
  private final TargetRegistry targets;
  private final BackupJobRepository jobs;
  private final BackupRecordRepository backups;
  private final DatabaseBackupJobRunner backupRunner;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;
  private final TargetAccess access;

  public RestoreJobRunner(
      DatabaseRestore restore,
      BackupVerifier verifier,
      CopyReader copyReader,
      TargetRegistry targets,
      BackupJobRepository jobs,
      BackupRecordRepository backups,
      DatabaseBackupJobRunner backupRunner,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props,
      TargetAccess access) {
    this.restore = restore;
    this.verifier = verifier;
    this.copyReader = copyReader;
    this.targets = targets;
    this.jobs = jobs;
    this.backups = backups;
    this.backupRunner = backupRunner;
    this.outcomes = outcomes;
    this.leases = leases;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
    this.access = access;
  }

  @Override
  public JobType type() {
    return JobType.RESTORE_DATABASE;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    JobLeaseKeeper.Renewal renewal = leases.keep(job);
    try {
      List<String> notes = restore(job, renewal.progress());
      outcomes.restoreSucceeded(job, java.util.Objects.requireNonNull(job.backupId()), notes);
    } catch (BackupDamaged e) {
      // recorded on the backup as a failed verification, as a VERIFY job would
      outcomes.verificationFailedInJob(job, e.backupId, e.verifyError, e.getMessage());
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    } finally {
      renewal.close();
    }
  }

  /** The restore itself; returns the notes recorded on the job (as its warnings). */
  private List<String> restore(ClaimedJob job, JobProgress progress) {
    BackupJob row =
        jobs.findById(job.id())
            .orElseThrow(() -> new IllegalStateException("claimed job " + job.id() + " vanished"));
    BackupJob.RestoreDetails details = row.getRestoreDetails();
    UUID backupId = job.backupId();
    if (details == null || backupId == null) {
      throw new PermanentBackupException(
          "job " + job.id() + " is not a restore of a backup; send a RESTORE_DATABASE command");
    }
    progress.enter(JobStage.PREFLIGHT);
    BackupRecord backup = availableDatabaseBackup(backupId);
    DatabaseTarget target = targets.requireDatabase(job.target(), props.workerId());
    TargetAccess.Route route = access.route(target, "psql");
    outcomes.recordMode(job, route.decision());
    String ownDatabase = route.login().database();
    String database = details.database() == null ? ownDatabase : details.database();
    TargetDatabase server = route.restoreTarget(target);
    StoredBackup stored = StoredBackups.of(backup, copyReader.likelyIntact(backup));
    List<String> notes = new ArrayList<>();

    log.info(
        "job {} running: restoring backup {} into database '{}' of target '{}' in {} mode ({})",
        job.id(),
        backupId,
        database,
        target.name(),
        route.decision().mode(),
        route.decision().reason());
    PreflightReport plan =
        restore.preflight(server, target.name(), database, stored, details.terminateConnections());
    plan.requireOk();
    notes.addAll(plan.warnings());

    StorageBackend source;
    try {
      CopyReader.Read<StorageBackend> verified =
          copyReader.readFirstIntact(
              backup,
              storage -> {
                progress.enter(JobStage.VERIFYING);
                verifier.verify(progress.counting(storage), VerifyJobRunner.expected(backup));
                return storage;
              });
      source = verified.storage();
      notes.addAll(verified.warnings());
    } catch (VerificationFailedException e) {
      throw new BackupDamaged(backupId, e);
    }

    if (plan.needsSafetyBackup()) {
      if (details.safetyBackupWaiver() != null) {
        notes.add(
            "no safety backup of database '"
                + database
                + "': waived by '"
                + row.getRequestedBy()
                + "' because: "
                + details.safetyBackupWaiver());
      } else if (!database.equals(ownDatabase)) {
        throw new PermanentBackupException(
            "database '"
                + database
                + "' holds data, but a safety backup covers only the target's own database '"
                + ownDatabase
                + "'; nothing was restored. Restore into a new or empty database, or waive the"
                + " safety backup with a reason");
      } else {
        progress.enter(JobStage.SAFETY_BACKUP);
        notes.add(safetyBackup(row));
      }
    }

    TargetDatabase.Settings like =
        database.equals(ownDatabase) ? null : server.settingsOf(ownDatabase);
    RestoreOutcome outcome =
        restore.apply(
            plan,
            server,
            progress.counting(source),
            stored,
            like,
            step -> progress.enter(stageOf(step)));
    notes.addAll(outcome.warnings());
    log.info(
        "job {}: backup {} restored into database '{}' in {} ms ({} tables' row counts checked)",
        job.id(),
        backupId,
        database,
        outcome.applyTime().toMillis(),
        outcome.tablesChecked());
    return notes;
  }

  private static JobStage stageOf(RestoreSteps.Step step) {
    return switch (step) {
      case APPLYING -> JobStage.APPLYING;
      case CHECKING -> JobStage.CHECKING;
      case COMMITTING -> JobStage.COMMITTING;
      case ANALYZING -> JobStage.ANALYZING;
    };
  }

  private BackupRecord availableDatabaseBackup(UUID backupId) {
    BackupRecord backup =
        backups
            .findById(backupId)
            .orElseThrow(
                () ->
                    new PermanentBackupException(
                        "backup '" + backupId + "' is not in the catalog; nothing to restore"));
    if (backup.getKind() != BackupKind.DATABASE) {
      throw new PermanentBackupException(
          "backup '" + backupId + "' is a " + backup.getKind() + " backup, not a database dump");
    }
    if (backup.getStatus() != BackupStatus.AVAILABLE) {
      throw new PermanentBackupException(
          "backup '" + backupId + "' is " + backup.getStatus() + " and cannot be restored");
    }
    return backup;
  }

  /**
   * Backs up the restore's target as a {@code BACKUP_DATABASE} job linked to it, on this thread.
   *
   * @return the note for the restore job naming the safety backup
   */
  private String safetyBackup(BackupJob restoreJob) {
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    transactions.executeWithoutResult(
        tx -> {
          jobs.save(BackupJob.safetyBackupOf(restoreJob, id, now));
          jobs.flush();
          jobs.claim(id, props.workerId(), now.plus(props.leaseDuration()), now);
        });
    log.info(
        "job {}: safety backup of target '{}' as job {}",
        restoreJob.getId(),
        restoreJob.getTarget(),
        id);
    backupRunner.run(
        new ClaimedJob(
            id,
            JobType.BACKUP_DATABASE,
            restoreJob.getTarget(),
            restoreJob.getTriggerSource(),
            1,
            null));
    BackupJob safety =
        jobs.findById(id)
            .orElseThrow(() -> new IllegalStateException("safety backup job " + id + " vanished"));
    if (safety.getStatus() != JobStatus.SUCCEEDED) {
      throw new PermanentBackupException(
          "the safety backup (job " + id + ") failed, nothing was restored: " + safety.getError());
    }
    return "safety backup " + safety.getBackupId() + " (job " + id + ") taken before the restore";
  }

  /** The verification pass before the apply found the backup damaged; nothing was restored. */
  private static final class BackupDamaged extends PermanentBackupException {
    private static final long serialVersionUID = 1L;

    private final UUID backupId;
    private final String verifyError;

    BackupDamaged(UUID backupId, VerificationFailedException cause) {
      super(
          "backup '" + backupId + "' did not verify, nothing was restored: " + cause.getMessage(),
          cause);
      this.backupId = backupId;
      this.verifyError = String.valueOf(cause.getMessage());
    }
  }
}
