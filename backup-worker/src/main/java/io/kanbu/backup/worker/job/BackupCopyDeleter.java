package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupRecord;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Deletes every copy of one backup from the storages that hold one (its object, then its manifest),
 * in {@code BACKUP_STORAGE} order, and records each copy {@code DELETED}: the deletion retention
 * ({@code PRUNE}) and an operator's {@code DELETE_BACKUP} share. Idempotent: a copy recorded as
 * deleted is skipped, and an object already gone from its storage counts as deleted ({@link
 * StorageBackend#delete} does nothing for a missing key), so deleting again after a failure
 * finishes the work.
 *
 * <p>Call it inside a transaction: it locks the backup's copy rows until the transaction ends. The
 * copies deleted before a failure are recorded as such; commit them with the failure.
 */
@Component
public class BackupCopyDeleter {

  private final StorageSet storages;
  private final BackupCopyRepository copies;

  public BackupCopyDeleter(StorageSet storages, BackupCopyRepository copies) {
    this.storages = storages;
    this.copies = copies;
  }

  /**
   * What a deletion did.
   *
   * @param failure null if every copy is gone; else why not, naming the backup and the storage (the
   *     caller says what happens next)
   * @param storage the storage whose copy could not be deleted; null if none failed
   * @param deleted the storages whose copy this call deleted, in the order it deleted them
   */
  public record Outcome(@Nullable String failure, @Nullable String storage, List<String> deleted) {

    public Outcome {
      deleted = List.copyOf(deleted);
    }

    /** True when every copy of the backup is deleted. */
    public boolean complete() {
      return failure == null;
    }
  }

  /** Deletes every copy of {@code backup} that is not deleted yet. */
  public Outcome deleteCopies(BackupRecord backup, Instant now) {
    List<BackupCopy> rows = copies.lockByBackupId(backup.getId());
    if (rows.isEmpty()) {
      // a row from before copies were recorded: its one copy is where it was written
      rows = List.of(copies.save(BackupCopy.primaryOf(backup, now)));
    }
    for (BackupCopy copy : rows) {
      if (copy.getStatus() != BackupCopyStatus.DELETED
          && storages.find(copy.getStorage()).isEmpty()) {
        return new Outcome(
            "backup "
                + backup.getId()
                + " has a copy on storage '"
                + copy.getStorage()
                + "', which this worker does not have ("
                + storages
                + "); add it to BACKUP_STORAGE so that every copy can be deleted",
            copy.getStorage(),
            List.of());
      }
    }
    List<String> deleted = new java.util.ArrayList<>();
    List<String> order = storages.names();
    // in BACKUP_STORAGE order, so that what a failure leaves behind is predictable
    for (BackupCopy copy :
        rows.stream()
            .sorted(java.util.Comparator.comparing(c -> order.indexOf(c.getStorage())))
            .toList()) {
      if (copy.getStatus() == BackupCopyStatus.DELETED) {
        continue;
      }
      StorageBackend storage = storages.find(copy.getStorage()).orElseThrow();
      try {
        storage.delete(copy.getObjectKey());
        if (copy.getManifestKey() != null) {
          storage.delete(copy.getManifestKey());
        }
      } catch (RuntimeException e) {
        return new Outcome(
            "unable to delete backup "
                + backup.getId()
                + " ('"
                + copy.getObjectKey()
                + "') from storage '"
                + storage.name()
                + "': "
                + e.getMessage(),
            storage.name(),
            deleted);
      }
      copy.deleted(now);
      deleted.add(storage.name());
    }
    return new Outcome(null, null, deleted);
  }
}
