package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.LegacyFileCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed {@code VERIFY} job: reads the backup the catalog records once through {@link
 * BackupVerifier} while renewing the lease, then records {@code verified_at} or the failed check on
 * the backup, the job's end and a {@code verify.*} event. A storage problem that is not the
 * backup's fault (transient) fails the job but leaves the backup's verification state alone. A
 * drill ({@code "drill": true}) then restores the verified backup into a scratch database ({@link
 * RestoreDrill}); its result is recorded on the backup, and a failed drill fails the job.
 */
@Component
public class VerifyJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(VerifyJobRunner.class);

  private final BackupVerifier verifier;
  private final StorageBackend storage;
  private final BackupRecordRepository backups;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final RestoreDrill drills;
  private final BackupJobRepository jobs;
  private final WorkerProperties props;
  private final Keyring keyring;

  public VerifyJobRunner(
      BackupVerifier verifier,
      StorageBackend storage,
      BackupRecordRepository backups,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      RestoreDrill drills,
      BackupJobRepository jobs,
      WorkerProperties props,
      Keyring keyring) {
    this.drills = drills;
    this.jobs = jobs;
    this.verifier = verifier;
    this.storage = storage;
    this.backups = backups;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
    this.keyring = keyring;
  }

  @Override
  public JobType type() {
    return JobType.VERIFY;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    UUID backupId = job.backupId();
    if (backupId == null) {
      outcomes.failed(job, "VERIFY job " + job.id() + " names no backupId; send one");
      return;
    }
    BackupRecord backup = backups.findById(backupId).orElse(null);
    if (backup == null) {
      outcomes.failed(job, "backup '" + backupId + "' is not in the catalog; nothing to verify");
      return;
    }
    if (!backup.getStorage().equals(storage.name())) {
      outcomes.failed(
          job,
          "backup '"
              + backupId
              + "' is in storage '"
              + backup.getStorage()
              + "' but worker '"
              + props.workerId()
              + "' has storage '"
              + storage.name()
              + "'");
      return;
    }
    boolean drill = jobs.findById(job.id()).map(BackupJob::isDrill).orElse(false);
    JobLeaseKeeper.Renewal renewal = leases.keep(job);
    String verifyError;
    RestoreDrill.Result drillResult = null;
    try {
      log.info(
          "job {} running: verifying backup {} '{}'", job.id(), backupId, backup.getObjectKey());
      verifyError = backup.isLegacy() ? verifyLegacy(backup) : verifyOurs(backup);
      if (drill && verifyError == null) {
        drillResult =
            backup.getKind() == BackupKind.DATABASE
                ? drills.run(job, backup)
                : new RestoreDrill.Result(
                    false,
                    null,
                    "restore drill failed: backup '"
                        + backupId
                        + "' is a source backup; drills restore database backups",
                    java.util.List.of());
      }
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
      return;
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
      return;
    } finally {
      renewal.close();
    }
    outcomes.verificationEnded(job, backupId, verifyError, drillResult);
  }

  private @Nullable String verifyOurs(BackupRecord backup) {
    try {
      verifier.verify(storage, expected(backup));
      return null;
    } catch (VerificationFailedException e) {
      return e.getMessage();
    }
  }

  /**
   * A file of the original Kanbu: read to its end again (decrypted, decompressed) and compared with
   * what its import measured.
   */
  private @Nullable String verifyLegacy(BackupRecord backup) {
    LegacyFileCheck.Result result;
    try (InputStream in = storage.open(backup.getObjectKey())) {
      LegacyKanbuDecryptor decryptor =
          backup.isEncrypted() ? LegacyKanbuDecryptor.withPrimaryKey(keyring) : null;
      result = LegacyFileCheck.run(in, decryptor, CompressionFormat.of(backup.getCompression()));
    } catch (DecryptionException e) {
      return "decryption check failed: " + e.getMessage();
    } catch (IOException e) {
      return "decompression check failed: the legacy file is damaged or truncated ("
          + e.getMessage()
          + ")";
    }
    if (!result.sha256Stored().equals(backup.getSha256Stored())) {
      return "stored sha256 check failed: legacy file '"
          + backup.getObjectKey()
          + "' hashes to "
          + result.sha256Stored()
          + " but its import measured "
          + backup.getSha256Stored()
          + "; it changed since it was imported";
    }
    if (!result.sha256().equals(backup.getSha256()) || result.rawBytes() != backup.getRawSize()) {
      return "plaintext check failed: legacy file '"
          + backup.getObjectKey()
          + "' no longer decrypts to what its import measured";
    }
    return null;
  }

  static ExpectedBackup expected(BackupRecord backup) {
    return new ExpectedBackup(
        backup.getId(),
        backup.getObjectKey(),
        backup.getManifestKey(),
        backup.getRawSize(),
        backup.getCompressedSize(),
        backup.getStoredSize(),
        backup.getSha256(),
        backup.getSha256Stored(),
        backup.isEncrypted(),
        CompressionFormat.of(backup.getCompression()));
  }
}
