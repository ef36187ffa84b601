package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.SourceRestore;
import io.kanbu.backup.core.source.tar.SourceArchiveExtractor;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.SourceTarget;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed {@code RESTORE_SOURCE} job: extracts a source backup through {@link SourceRestore}
 * (digests checked while streaming) into a staging directory beside the directory the job names
 * while the lease is renewed, then moves it into place in the same transaction that ends the job,
 * so only the attempt that still owns the job puts a tree there. The job ends with a summary
 * (files, bytes, directory) and a warning for each link that was not restored because it points
 * outside the directory. A backup found damaged fails the job and records the failed verification
 * on the backup, as a {@code VERIFY} job would. The directory must be absolute and empty or new;
 * the target's live source tree, a directory inside it or one containing it is refused unless the
 * job carries the target's name as confirmation, and must be empty even then.
 */
@Component
public class SourceRestoreJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(SourceRestoreJobRunner.class);

  private final SourceRestore restore;
  private final CopyReader copyReader;
  private final BackupJobRepository jobs;
  private final BackupRecordRepository backups;
  private final TargetRegistry targets;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public SourceRestoreJobRunner(
      BackupVerifier verifier,
      CopyReader copyReader,
      BackupJobRepository jobs,
      BackupRecordRepository backups,
      TargetRegistry targets,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.restore = new SourceRestore(verifier, new SourceArchiveExtractor());
    this.copyReader = copyReader;
    this.jobs = jobs;
    this.backups = backups;
    this.targets = targets;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.RESTORE_SOURCE;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    UUID backupId = null;
    SourceRestore.Destination destination = null;
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      BackupRecord backup = backupToRestore(job);
      backupId = backup.getId();
      destination = destination(job);
      log.info(
          "job {} running: restoring source backup {} '{}' into '{}'",
          job.id(),
          backupId,
          backup.getObjectKey(),
          destination.directory());
      SourceRestore.Destination into = destination;
      JobProgress progress = renewal.progress();
      CopyReader.Read<SourceRestore.Staged> read =
          copyReader.readFirstIntact(
              backup,
              storage -> {
                progress.enter(JobStage.EXTRACTING);
                return restore.stage(
                    progress.counting(storage),
                    VerifyJobRunner.expected(backup),
                    into,
                    job.id(),
                    job.attempt());
              });
      try (SourceRestore.Staged staged = read.value()) {
        progress.enter(JobStage.MOVING_INTO_PLACE);
        UUID restored = backupId;
        if (!outcomes.summarized(
            job, now -> summary(restored, staged.moveIntoPlace(), read.warnings()))) {
          log.warn(
              "job {} extracted backup {} but lost its lease; nothing was moved into '{}'",
              job.id(),
              backupId,
              destination.directory());
        }
      }
    } catch (VerificationFailedException e) {
      outcomes.verificationFailedInJob(
          job,
          Objects.requireNonNull(backupId),
          e.getMessage(),
          "backup '"
              + backupId
              + "' did not verify, nothing was restored into '"
              + Objects.requireNonNull(destination).directory()
              + "': "
              + e.getMessage());
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }

  private JobSummary summary(
      UUID backupId, SourceRestore.Outcome outcome, List<String> copyWarnings) {
    return new JobSummary(
        String.format(
            Locale.ROOT,
            "source backup %s restored into '%s' on worker '%s': %d files, %d directories,"
                + " %d symbolic links, %d bytes of tar; digests checked%s",
            backupId,
            outcome.directory(),
            props.workerId(),
            outcome.files(),
            outcome.directories(),
            outcome.symlinks(),
            outcome.rawBytes(),
            outcome.warnings().isEmpty()
                ? ""
                : "; " + outcome.warnings().size() + " entries not restored (see the warnings)"),
        java.util.stream.Stream.concat(copyWarnings.stream(), outcome.warnings().stream())
            .toList());
  }

  private BackupRecord backupToRestore(ClaimedJob job) {
    UUID backupId = job.backupId();
    if (backupId == null) {
      throw new PermanentBackupException(
          "RESTORE_SOURCE job " + job.id() + " names no backupId; send one");
    }
    BackupRecord backup =
        backups
            .findById(backupId)
            .orElseThrow(
                () ->
                    new PermanentBackupException(
                        "backup '" + backupId + "' is not in the catalog; nothing to restore"));
    if (backup.getKind() != BackupKind.SOURCE) {
      throw new PermanentBackupException(
          "backup '"
              + backupId
              + "' is a "
              + backup.getKind().name().toLowerCase(Locale.ROOT)
              + " backup; RESTORE_SOURCE restores source backups only");
    }
    if (backup.getStatus() != BackupStatus.AVAILABLE) {
      throw new PermanentBackupException(
          "backup '"
              + backupId
              + "' is "
              + backup.getStatus()
              + "; only an available one restores");
    }
    if (!backup.getTarget().equals(job.target())) {
      throw new PermanentBackupException(
          "backup '"
              + backupId
              + "' belongs to target '"
              + backup.getTarget()
              + "', not '"
              + job.target()
              + "'; send the backup's target");
    }
    return backup;
  }

  private SourceRestore.Destination destination(ClaimedJob job) {
    BackupJob.SourceRestoreDetails details =
        jobs.findById(job.id()).map(BackupJob::getSourceRestoreDetails).orElse(null);
    if (details == null) {
      throw new PermanentBackupException(
          "RESTORE_SOURCE job " + job.id() + " names no directory; send an absolute one");
    }
    return new SourceRestore.Destination(
        details.directory(),
        job.target(),
        targets.source(job.target()).map(SourceTarget::root).orElse(null),
        details.overwriteLiveTree());
  }
}
