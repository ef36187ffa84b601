package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.DatabaseBackupOptions;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PostgresContainer;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.DatabaseTarget;
import io.kanbu.backup.worker.target.TargetCompression;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed job to its end: renews the lease while the pipeline runs, stores the dump under
 * {@code <target>/database/<file name>}, and records the outcome. A failure leaves no object in
 * storage (the backend's put guarantees that; a result that cannot be recorded is deleted).
 */
@Component
public class DatabaseBackupJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(DatabaseBackupJobRunner.class);

  private final DatabaseBackup databaseBackup;
  private final StorageBackend storage;
  private final TargetRegistry targets;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final Clock clock;
  private final WorkerProperties props;
  private final TargetAccess access;
  private final EnvelopeEncryption encryption;
  private final TargetCompression compressions;

  public DatabaseBackupJobRunner(
      DatabaseBackup databaseBackup,
      StorageBackend storage,
      TargetRegistry targets,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      Clock clock,
      WorkerProperties props,
      TargetAccess access,
      EnvelopeEncryption encryption,
      TargetCompression compressions) {
    this.encryption = encryption;
    this.compressions = compressions;
    this.databaseBackup = databaseBackup;
    this.storage = storage;
    this.targets = targets;
    this.outcomes = outcomes;
    this.leases = leases;
    this.clock = clock;
    this.props = props;
    this.access = access;
  }

  @Override
  public JobType type() {
    return JobType.BACKUP_DATABASE;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    JobLeaseKeeper.Renewal renewal = leases.keep(job);
    JobProgress progress = renewal.progress();
    UUID backupId = UUID.randomUUID();
    Instant now = clock.instant();
    boolean encrypt = encryption.canEncrypt();
    Compression compression = compressions.of(job.target());
    String objectKey =
        job.target()
            + "/database/"
            + BackupFileNames.database(now, backupId, compression.format(), encrypt);
    BackupOutcome outcome;
    try {
      if (job.type() != JobType.BACKUP_DATABASE) {
        throw new PermanentBackupException(
            "job type '" + job.type() + "' is not supported by this worker version; upgrade it");
      }
      progress.enter(JobStage.CONNECTING);
      DatabaseTarget target = targets.requireDatabase(job.target(), props.workerId());
      DatabaseBackupOptions options =
          DatabaseBackupOptions.of(target.name(), target.urlSetting())
              .withCompression(compression)
              .withIds(backupId, job.id())
              .withEncryption(encrypt ? encryption : null)
              .withRowCounts(props.rowCountMode());
      TargetAccess.Route route = access.route(target, "pg_dump");
      PgModeResolver.Decision mode = route.decision();
      outcomes.recordMode(job, mode);
      log.info(
          "job {} running: backing up target '{}' to '{}' in {} mode ({})",
          job.id(),
          job.target(),
          objectKey,
          mode.mode(),
          mode.reason());
      PostgresContainer container = route.container();
      progress.enter(JobStage.DUMPING);
      StorageBackend into = progress.enteringOnStored(storage, JobStage.FINISHING);
      outcome =
          container == null
              ? databaseBackup.backup(route.login(), into, objectKey, options)
              : databaseBackup.backupViaDocker(container, into, objectKey, options);
    } catch (BackupException e) {
      renewal.close();
      outcomes.failed(job, e.getMessage());
      return;
    } catch (RuntimeException | Error e) {
      renewal.close();
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
      return;
    } finally {
      renewal.close();
    }
    boolean recorded;
    try {
      recorded = outcomes.succeeded(job, backupId, outcome);
    } catch (RuntimeException e) {
      log.error("job {} finished but its result could not be recorded", job.id(), e);
      recorded = false;
    }
    if (!recorded) {
      // not in the catalog, so nobody would ever find or prune it
      storage.delete(outcome.manifestKey());
      storage.delete(objectKey);
    }
  }
}
