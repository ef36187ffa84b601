package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.LegacyFileCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed {@code VERIFY} job: reads every copy of the backup on this worker's storages once
 * through {@link BackupVerifier} while renewing the lease, records each copy's finding (intact,
 * corrupt, missing; the backup verifies if any copy is intact, the others are warnings and are
 * repaired by a {@code REPLICATE}), then records {@code verified_at} or the failed check on the
 * backup, the job's end and a {@code verify.*} event. A storage problem that is not the backup's
 * fault (transient) fails the job but leaves the backup's verification state alone. A drill ({@code
 * "drill": true}) then restores the verified backup into a scratch database ({@link RestoreDrill});
 * its result is recorded on the backup, and a failed drill fails the job.
 */
@Component
public class VerifyJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(VerifyJobRunner.class);

  private final BackupVerifier verifier;
  private final StorageSet storages;
  private final BackupCopyLedger ledger;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final RestoreDrill drills;
  private final BackupJobRepository jobs;
  private final WorkerProperties props;
  private final Keyring keyring;

  public VerifyJobRunner(
      BackupVerifier verifier,
      StorageSet storages,
      BackupCopyLedger ledger,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      RestoreDrill drills,
      BackupJobRepository jobs,
      WorkerProperties props,
      Keyring keyring) {
    this.drills = drills;
    this.jobs = jobs;
    this.verifier = verifier;
    this.storages = storages;
    this.ledger = ledger;
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
    BackupRecord backup = outcomes.backupOrFail(job, "verify");
    if (backup == null) {
      return;
    }
    UUID backupId = backup.getId();
    if (backup.getStatus() == BackupStatus.DELETING || backup.getStatus() == BackupStatus.DELETED) {
      // a delete took (or is taking) its copies: what is left must not be found intact again
      outcomes.failed(
          job,
          "backup '"
              + backupId
              + "' is "
              + backup.getStatus()
              + " (deleted on purpose); nothing to verify");
      return;
    }
    // copies never written (pending, failed) are the replication's business, not a verification's
    List<BackupCopy> copies =
        ledger.readOrder(backup).stream()
            .filter(c -> c.getStatus() != BackupCopyStatus.PENDING)
            .filter(c -> c.getStatus() != BackupCopyStatus.FAILED)
            .toList();
    if (copies.isEmpty()) {
      outcomes.failed(
          job,
          "backup '"
              + backupId
              + "' has no copy on the storages of worker '"
              + props.workerId()
              + "' ("
              + storages
              + "); it is kept in storage '"
              + backup.getStorage()
              + "'");
      return;
    }
    boolean drill = jobs.findById(job.id()).map(BackupJob::isDrill).orElse(false);
    JobLeaseKeeper.Renewal renewal = leases.keep(job);
    String verifyError;
    List<CopyCheck> checks = new ArrayList<>();
    RestoreDrill.Result drillResult = null;
    try {
      for (BackupCopy copy : copies) {
        StorageBackend storage = storages.find(copy.getStorage()).orElseThrow();
        log.info(
            "job {} running: verifying backup {} '{}' on storage '{}'",
            job.id(),
            backupId,
            copy.getObjectKey(),
            storage.name());
        renewal.progress().enter(JobStage.READING);
        checks.add(check(renewal.progress().counting(storage), backup));
      }
      verifyError = verdict(checks);
      if (drill && verifyError == null) {
        drillResult =
            backup.getKind() == BackupKind.DATABASE
                ? drills.run(job, backup, renewal.progress())
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
    outcomes.verificationEnded(job, backupId, verifyError, drillResult, checks);
  }

  /**
   * Reads one copy end to end. A storage that fails in a way that may pass leaves the copy
   * unchecked; a copy whose object is gone is missing; any failed check makes it corrupt.
   */
  private CopyCheck check(StorageBackend storage, BackupRecord backup) {
    String error;
    try {
      error = backup.isLegacy() ? verifyLegacy(storage, backup) : verifyOurs(storage, backup);
    } catch (BackupException e) {
      if (e.isRetryable()) {
        return new CopyCheck(storage.name(), CopyCheck.Finding.UNCHECKED, e.getMessage());
      }
      error = e.getMessage();
    }
    if (error == null) {
      return new CopyCheck(storage.name(), CopyCheck.Finding.INTACT, null);
    }
    boolean gone = storage.stat(backup.getObjectKey()).isEmpty();
    return new CopyCheck(
        storage.name(), gone ? CopyCheck.Finding.MISSING : CopyCheck.Finding.CORRUPT, error);
  }

  /**
   * The backup's verification: passed if any copy is intact (the others are recorded on their
   * copies and named in the job's warnings); else the first copy's failed check. A backup none of
   * whose copies could be read this time fails the job without a verdict.
   */
  private static @Nullable String verdict(List<CopyCheck> checks) {
    if (checks.stream().anyMatch(c -> c.finding() == CopyCheck.Finding.INTACT)) {
      return null;
    }
    return checks.stream()
        .filter(c -> c.finding() != CopyCheck.Finding.UNCHECKED)
        .findFirst()
        .map(CopyCheck::error)
        .orElseThrow(
            () ->
                new TransientBackupException(
                    "no copy could be read: "
                        + checks.stream().map(CopyCheck::warning).toList()
                        + "; retry"));
  }

  private @Nullable String verifyOurs(StorageBackend storage, BackupRecord backup) {
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
  private @Nullable String verifyLegacy(StorageBackend storage, BackupRecord backup) {
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
