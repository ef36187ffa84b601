package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.rekey.BackupRekeyer;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code REKEY} job: re-wraps the data key of encrypted backups under the keyring's primary
 * key, rewriting each object's header and its manifest in place (same keys, so file names stay) and
 * never the data. With a {@code backupId} it rekeys that backup, without one every available
 * encrypted backup of this worker's storage whose catalog row names another key.
 *
 * <p>Per backup, in this order, each step atomic: the object is rewritten in one streaming pass
 * through {@link StorageBackend#replace}, checked against its manifest and catalog row before the
 * replace commits (a damaged object is never given a fresh digest); then the manifest is replaced;
 * then the catalog row is updated in its own transaction, so the work done survives a failure later
 * in the run. A crash between these steps leaves an object wrapped by the primary key whose
 * manifest or row still names the old key: the next rekey repairs them after one hashing pass
 * instead of skipping the backup. A backup that is damaged, disagrees with its manifest, or whose
 * key is not in the keyring is skipped with a warning naming it, and left as it is.
 *
 * <p>The job ends with a summary (rekeyed, already current, repaired, skipped) and the warnings; it
 * fails if it had backups to rekey and none of them could be.
 */
@Component
public class RekeyJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(RekeyJobRunner.class);

  private final BackupRekeyer rekeyer;
  private final EnvelopeEncryption encryption;
  private final StorageBackend storage;
  private final BackupRecordRepository backups;
  private final BackupCopyLedger copies;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;
  private final ManifestCodec manifests = new ManifestCodec();

  public RekeyJobRunner(
      BackupRekeyer rekeyer,
      EnvelopeEncryption encryption,
      StorageBackend storage,
      BackupRecordRepository backups,
      BackupCopyLedger copies,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.rekeyer = rekeyer;
    this.encryption = encryption;
    this.storage = storage;
    this.backups = backups;
    this.copies = copies;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  /** What happened to one backup. */
  private enum Result {
    REKEYED,
    CURRENT,
    REPAIRED,
    SKIPPED,
    /** This worker lost the job: stop without recording anything more. */
    LEASE_LOST
  }

  @Override
  public JobType type() {
    return JobType.REKEY;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    String primary = encryption.primaryKeyId().orElse(null);
    if (primary == null) {
      outcomes.failed(
          job,
          "worker '"
              + props.workerId()
              + "' has no primary encryption key to rekey to: set BACKUP_ENCRYPTION_KEY with a new"
              + " BACKUP_ENCRYPTION_KEY_ID and keep the old key in BACKUP_ENCRYPTION_OLD_KEYS");
      return;
    }
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      List<UUID> candidates;
      UUID only = job.backupId();
      if (only == null) {
        candidates = backups.findIdsToRekey(storage.name(), primary);
      } else {
        String refusal = refusalOfOne(only);
        if (refusal != null) {
          outcomes.failed(job, refusal);
          return;
        }
        candidates = List.of(only);
      }
      log.info(
          "job {} running: rekeying {} backup(s) of storage '{}' to key '{}'",
          job.id(),
          candidates.size(),
          storage.name(),
          primary);
      int[] counts = new int[Result.values().length];
      List<String> warnings = new ArrayList<>();
      for (UUID backupId : candidates) {
        Result result = rekeyOne(job, backupId, primary, warnings);
        if (result == Result.LEASE_LOST) {
          log.warn(
              "job {} is no longer owned by worker '{}' (lease lost); stopped before backup {}",
              job.id(),
              props.workerId(),
              backupId);
          return;
        }
        counts[result.ordinal()]++;
      }
      JobSummary summary = summary(primary, candidates.size(), counts, warnings);
      outcomes.summarized(job, now -> summary);
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }

  /** Why a single-backup rekey cannot start, or null if it can. */
  private @Nullable String refusalOfOne(UUID backupId) {
    BackupRecord row = backups.findById(backupId).orElse(null);
    if (row == null) {
      return "backup '" + backupId + "' is not in the catalog; nothing to rekey";
    }
    if (!row.getStorage().equals(storage.name())) {
      return "backup '"
          + backupId
          + "' is in storage '"
          + row.getStorage()
          + "' but worker '"
          + props.workerId()
          + "' has storage '"
          + storage.name()
          + "'";
    }
    if (row.getStatus() != BackupStatus.AVAILABLE) {
      return "backup '" + backupId + "' is " + row.getStatus() + "; only available backups rekey";
    }
    if (!row.isEncrypted()) {
      return "backup '" + backupId + "' is not encrypted: it has no data key to re-wrap";
    }
    return null;
  }

  private Result rekeyOne(ClaimedJob job, UUID backupId, String primary, List<String> warnings) {
    // a cheap look before each backup: a job that was handed to another worker stops here
    if (!outcomes.whileOwned(job, now -> {})) {
      return Result.LEASE_LOST;
    }
    BackupRecord row = backups.findById(backupId).orElse(null);
    if (row == null) {
      warnings.add("backup " + backupId + " left the catalog during the rekey; skipped");
      return Result.SKIPPED;
    }
    String objectKey = row.getObjectKey();
    String manifestKey = row.getManifestKey();
    String name = "backup " + backupId + " ('" + objectKey + "')";
    if (manifestKey == null) {
      warnings.add(name + " has no manifest to check it against; not rekeyed");
      return Result.SKIPPED;
    }
    try {
      BackupManifest manifest = readManifest(manifestKey);
      String disagreement = disagreement(row, manifest);
      EncryptionHeader header = readHeader(objectKey);
      if (!header.backupId().equals(backupId)) {
        warnings.add(
            name + " holds backup " + header.backupId() + " according to its header; not rekeyed");
        return Result.SKIPPED;
      }
      if (rekeyer.isWrappedByPrimary(header)) {
        if (keyIdOf(manifest).equals(primary) && primary.equals(row.getKeyId())) {
          return Result.CURRENT;
        }
        // a rekey stopped after the object was replaced; the manifest may still describe the old
        // object, which the row must then agree with, or already the new one
        if (!keyIdOf(manifest).equals(primary) && disagreement != null) {
          warnings.add(name + ": " + disagreement + "; not repaired");
          return Result.SKIPPED;
        }
        BackupRekeyer.Repaired repaired;
        try (InputStream in = storage.open(objectKey)) {
          repaired = rekeyer.repair(in, manifest, manifestKey);
        }
        if (repaired.manifestChanged()) {
          writeManifest(manifestKey, repaired.manifest());
        }
        return recordInCatalog(
                job, backupId, primary, repaired.storedBytes(), repaired.sha256Stored())
            ? Result.REPAIRED
            : Result.LEASE_LOST;
      }
      if (disagreement != null) {
        warnings.add(name + ": " + disagreement + "; not rekeyed");
        return Result.SKIPPED;
      }
      AtomicReference<BackupRekeyer.Rewritten> rewritten = new AtomicReference<>();
      storage.replace(
          objectKey,
          sink -> {
            try (InputStream in = storage.open(objectKey)) {
              // throws, and so leaves the object as it was, if the input is not what the manifest
              // (which agrees with the catalog) records
              rewritten.set(rekeyer.rekey(in, sink, manifest, manifestKey));
            }
          });
      BackupRekeyer.Rekeyed rekeyed = rewritten.get().rekeyed();
      writeManifest(manifestKey, Objects.requireNonNull(rewritten.get().manifest()));
      log.info(
          "job {}: {} rekeyed from key '{}' to '{}' ({} -> {} bytes, data unchanged)",
          job.id(),
          name,
          rekeyed.oldKeyId(),
          rekeyed.newKeyId(),
          rekeyed.oldStoredBytes(),
          rekeyed.storedBytes());
      return recordInCatalog(
              job, backupId, rekeyed.newKeyId(), rekeyed.storedBytes(), rekeyed.sha256Stored())
          ? Result.REKEYED
          : Result.LEASE_LOST;
    } catch (IOException | UncheckedIOException | BackupException e) {
      String reason = reason(e);
      log.warn("job {}: {} skipped: {}", job.id(), name, reason);
      warnings.add(name + " not rekeyed: " + reason);
      return Result.SKIPPED;
    }
  }

  /** How the manifest and the catalog row disagree about the stored object, or null. */
  private static @Nullable String disagreement(BackupRecord row, BackupManifest manifest) {
    if (!manifest.backupId().equals(row.getId())
        || !manifest.sha256().equals(row.getSha256())
        || manifest.encryption() == null
        || !keyIdOf(manifest).equals(row.getKeyId())
        || !manifest.sha256Stored().equals(row.getSha256Stored())
        || manifest.sizes().stored() != row.getStoredSize()) {
      return "its manifest and the catalog disagree (the catalog records key '"
          + row.getKeyId()
          + "', "
          + row.getStoredSize()
          + " bytes, sha256Stored "
          + row.getSha256Stored()
          + "; the manifest "
          + (manifest.encryption() == null ? "no encryption" : "key '" + keyIdOf(manifest) + "'")
          + ", "
          + manifest.sizes().stored()
          + " bytes, sha256Stored "
          + manifest.sha256Stored()
          + "); run a VERIFY of it";
    }
    return null;
  }

  private static String keyIdOf(BackupManifest manifest) {
    BackupManifest.Encryption encryption = manifest.encryption();
    return encryption == null ? "" : encryption.keyId();
  }

  private boolean recordInCatalog(
      ClaimedJob job, UUID backupId, String keyId, long storedSize, String sha256Stored) {
    return outcomes.whileOwned(
        job,
        now ->
            backups
                .findById(backupId)
                .ifPresent(
                    row -> {
                      row.rekeyed(keyId, storedSize, sha256Stored);
                      copies.rekeyed(row, storage.name(), now);
                    }));
  }

  private BackupManifest readManifest(String manifestKey) throws IOException {
    try (InputStream in = storage.open(manifestKey)) {
      return manifests.decode(in.readAllBytes(), manifestKey);
    }
  }

  private EncryptionHeader readHeader(String objectKey) throws IOException {
    try (InputStream in = storage.open(objectKey)) {
      return EnvelopeEncryption.readHeader(in);
    }
  }

  private void writeManifest(String manifestKey, BackupManifest manifest) {
    byte[] json = manifests.encode(manifest);
    storage.replace(manifestKey, out -> out.write(json));
  }

  /**
   * The message that names what went wrong: storage wraps a writer's {@link IOException} (e.g. an
   * unknown key id found while rekeying) into its own, less precise one.
   */
  private static String reason(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DecryptionException || t instanceof VerificationFailedException) {
        return Objects.requireNonNullElse(t.getMessage(), t.toString());
      }
    }
    return Objects.requireNonNullElse(e.getMessage(), e.toString());
  }

  private JobSummary summary(String primary, int candidates, int[] counts, List<String> warnings) {
    int rekeyed = counts[Result.REKEYED.ordinal()];
    int current = counts[Result.CURRENT.ordinal()];
    int repaired = counts[Result.REPAIRED.ordinal()];
    int skipped = counts[Result.SKIPPED.ordinal()];
    String summary =
        String.format(
            Locale.ROOT,
            "storage '%s', key '%s': %d backups to look at, %d rekeyed, %d already current,"
                + " %d repaired after an interrupted rekey, %d skipped",
            storage.name(),
            primary,
            candidates,
            rekeyed,
            current,
            repaired,
            skipped);
    String failure =
        candidates > 0 && skipped == candidates
            ? JobType.REKEY
                + " failed: none of the "
                + candidates
                + " backups could be rekeyed; the warnings say why for each"
            : null;
    return new JobSummary(summary, warnings, failure);
  }
}
