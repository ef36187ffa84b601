package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.core.verify.VerificationFailedException;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chooses which copy of a backup a restore reads (its own storage's first when it is available),
 * and falls back to the next copy when one turns out missing or corrupt: what it found is recorded
 * on the copies (so a {@code REPLICATE} repairs them) and said in the job's warnings.
 */
@Component
public class CopyReader {

  private static final Logger log = LoggerFactory.getLogger(CopyReader.class);

  private final StorageSet storages;
  private final BackupCopyLedger ledger;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public CopyReader(
      StorageSet storages, BackupCopyLedger ledger, TransactionTemplate transactions, Clock clock) {
    this.storages = storages;
    this.ledger = ledger;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A read of one copy: it throws if the copy is damaged; other failures propagate. */
  @FunctionalInterface
  public interface CopyRead<T> {
    T read(StorageBackend storage) throws VerificationFailedException;
  }

  /**
   * What a read found.
   *
   * @param value what the read of the good copy returned
   * @param storage the storage of the copy that was read
   * @param warnings the copies found missing or corrupt on the way, naming the one read instead
   */
  public record Read<T>(T value, StorageBackend storage, List<String> warnings) {}

  /**
   * Reads the backup's copies in order until a read passes.
   *
   * @throws VerificationFailedException the first copy's failure, when every copy failed
   * @throws PermanentBackupException when no storage of this worker holds a copy
   */
  public <T> Read<T> readFirstIntact(BackupRecord backup, CopyRead<T> read)
      throws VerificationFailedException {
    List<StorageBackend> candidates = candidates(backup);
    List<CopyCheck> checks = new ArrayList<>();
    VerificationFailedException first = null;
    try {
      for (StorageBackend storage : candidates) {
        try {
          T value = read.read(storage);
          checks.add(new CopyCheck(storage.name(), CopyCheck.Finding.INTACT, null));
          List<String> warnings = new ArrayList<>();
          for (CopyCheck check : checks) {
            if (check.finding() != CopyCheck.Finding.INTACT) {
              warnings.add(check.warning() + "; read the copy on '" + storage.name() + "' instead");
            }
          }
          return new Read<>(value, storage, warnings);
        } catch (VerificationFailedException e) {
          boolean gone = storage.stat(backup.getObjectKey()).isEmpty();
          checks.add(
              new CopyCheck(
                  storage.name(),
                  gone ? CopyCheck.Finding.MISSING : CopyCheck.Finding.CORRUPT,
                  e.getMessage()));
          log.warn(
              "backup {}: the copy on '{}' failed ({}); {}",
              backup.getId(),
              storage.name(),
              e.getMessage(),
              candidates.getLast() == storage ? "no other copy" : "trying the next copy");
          first = first == null ? e : first;
        }
      }
      throw Objects.requireNonNull(first);
    } finally {
      record(backup, checks);
    }
  }

  /**
   * The storages holding a copy of the backup, best first (available copies, the backup's own
   * storage first); copies never written are left out.
   */
  public List<StorageBackend> candidates(BackupRecord backup) {
    List<StorageBackend> candidates =
        ledger.readOrder(backup).stream()
            .filter(c -> c.getStatus() != BackupCopyStatus.PENDING)
            .filter(c -> c.getStatus() != BackupCopyStatus.FAILED)
            .map(BackupCopy::getStorage)
            .map(name -> storages.find(name).orElseThrow())
            .toList();
    if (candidates.isEmpty()) {
      throw new PermanentBackupException(
          "backup '"
              + backup.getId()
              + "' has no copy on this worker's storages ("
              + storages
              + "); it was written to storage '"
              + backup.getStorage()
              + "': configure that storage in BACKUP_STORAGE");
    }
    return candidates;
  }

  /** The first candidate whose object is present with the recorded size, else the first. */
  public StorageBackend likelyIntact(BackupRecord backup) {
    List<StorageBackend> candidates = candidates(backup);
    for (StorageBackend storage : candidates) {
      try {
        if (storage
            .stat(backup.getObjectKey())
            .filter(o -> o.size() == backup.getStoredSize())
            .isPresent()) {
          return storage;
        }
      } catch (BackupException e) {
        log.warn(
            "backup {}: storage '{}' cannot be asked: {}",
            backup.getId(),
            storage.name(),
            e.getMessage());
      }
    }
    return candidates.getFirst();
  }

  private void record(BackupRecord backup, List<CopyCheck> checks) {
    if (checks.stream().allMatch(c -> c.finding() == CopyCheck.Finding.INTACT)) {
      return;
    }
    try {
      transactions.executeWithoutResult(
          tx -> ledger.recordChecks(backup.getId(), checks, clock.instant()));
    } catch (RuntimeException e) {
      log.warn("backup {}: unable to record its copies' state: {}", backup.getId(), e.toString());
    }
  }
}
