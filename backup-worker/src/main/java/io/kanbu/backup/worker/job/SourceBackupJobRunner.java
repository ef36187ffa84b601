package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.SourceBackupOptions;
import io.kanbu.backup.core.SourceBackupOutcome;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.SourceTarget;
import io.kanbu.backup.worker.target.TargetCompression;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed {@code BACKUP_SOURCE} job: tars the target's tree into {@code
 * <target>/source/kanbu_source_<time>_<id>.tar.gz} ({@code .tar.gz.enc} when {@code
 * BACKUP_ENCRYPTION_KEY} is set), with its manifest beside it, while the lease is renewed, and
 * records the outcome with its warnings. A failure leaves no object in storage.
 */
@Component
public class SourceBackupJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(SourceBackupJobRunner.class);

  private final SourceBackup sourceBackup;
  private final StorageBackend storage;
  private final TargetRegistry targets;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final Clock clock;
  private final WorkerProperties props;
  private final EnvelopeEncryption encryption;
  private final TargetCompression compressions;

  public SourceBackupJobRunner(
      SourceBackup sourceBackup,
      StorageBackend storage,
      TargetRegistry targets,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      Clock clock,
      WorkerProperties props,
      EnvelopeEncryption encryption,
      TargetCompression compressions) {
    this.encryption = encryption;
    this.compressions = compressions;
    this.sourceBackup = sourceBackup;
    this.storage = storage;
    this.targets = targets;
    this.outcomes = outcomes;
    this.leases = leases;
    this.clock = clock;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.BACKUP_SOURCE;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    UUID backupId = UUID.randomUUID();
    boolean encrypt = encryption.canEncrypt();
    Compression compression = compressions.of(job.target());
    String objectKey =
        job.target()
            + "/source/"
            + BackupFileNames.source(clock.instant(), backupId, compression.format(), encrypt);
    SourceBackupOutcome outcome;
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      SourceTarget target =
          targets
              .source(job.target())
              .orElseThrow(
                  () ->
                      new PermanentBackupException(
                          "target '"
                              + job.target()
                              + "' has no source tree on worker '"
                              + props.workerId()
                              + "'; set "
                              + TargetRegistry.pathSetting(job.target())));
      renewal.progress().enter(JobStage.ARCHIVING);
      log.info(
          "job {} running: backing up source tree '{}' of target '{}' to '{}'",
          job.id(),
          target.root(),
          job.target(),
          objectKey);
      outcome =
          sourceBackup.backup(
              target.root(),
              renewal.progress().enteringOnStored(storage, JobStage.FINISHING),
              objectKey,
              new SourceBackupOptions(
                      target.name(),
                      target.pathSetting(),
                      target.exclude(),
                      target.include(),
                      compression,
                      BackupPipeline.DEFAULT_BUFFER_SIZE)
                  .withIds(backupId, job.id())
                  .withEncryption(encrypt ? encryption : null));
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
      return;
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
      return;
    }
    outcome.warnings().forEach(w -> log.warn("job {}: {}", job.id(), w));
    boolean recorded;
    try {
      recorded = outcomes.sourceSucceeded(job, backupId, outcome);
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
