package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The catalog side of a backup's copies on the storages of {@code BACKUP_STORAGE}: records them
 * when a backup is made, queues the {@code REPLICATE} that writes the missing ones, and reports
 * them for events. Every method runs inside its caller's transaction.
 */
@Component
public class BackupCopyLedger {

  private final BackupCopyRepository copies;
  private final BackupJobRepository jobs;
  private final StorageSet storages;

  public BackupCopyLedger(
      BackupCopyRepository copies, BackupJobRepository jobs, StorageSet storages) {
    this.copies = copies;
    this.jobs = jobs;
    this.storages = storages;
  }

  /**
   * Records a new backup's copies: the one on its own storage (available), one pending per other
   * storage; and queues the {@code REPLICATE} that writes them.
   *
   * @param madeBy the job that made the backup (its trigger and attempts carry over)
   * @return the queued {@code REPLICATE}, to publish after the commit; empty with one storage
   */
  public Optional<BackupJob> recordNew(BackupRecord backup, BackupJob madeBy, Instant now) {
    copies.save(BackupCopy.primaryOf(backup, now));
    boolean others = false;
    for (StorageBackend storage : storages.all()) {
      if (!storage.name().equals(backup.getStorage())) {
        copies.save(BackupCopy.pending(backup, storage.name(), now));
        others = true;
      }
    }
    return others
        ? Optional.of(queueReplication(backup, madeBy.getTriggerSource(), madeBy, now))
        : Optional.empty();
  }

  /**
   * Adds a pending copy on every configured storage that has no copy of the backup (a backup a
   * rescan adopted from one storage), and queues the {@code REPLICATE} that writes them.
   *
   * @return the queued job, to publish after the commit; empty when no storage lacks a copy
   */
  public Optional<BackupJob> completeCopies(
      BackupRecord backup, TriggerSource trigger, Instant now) {
    List<String> present =
        copies.findByBackupIdOrderByCreatedAt(backup.getId()).stream()
            .map(BackupCopy::getStorage)
            .toList();
    boolean added = false;
    for (StorageBackend storage : storages.all()) {
      if (!present.contains(storage.name())) {
        copies.save(BackupCopy.pending(backup, storage.name(), now));
        added = true;
      }
    }
    return added ? Optional.of(queueReplication(backup, trigger, null, now)) : Optional.empty();
  }

  /**
   * Records the copy of a backup found on one storage (by a rescan): a new copy, or one the catalog
   * had as not available.
   *
   * @return true if the copy was recorded as not available before (found again)
   */
  public boolean recordFound(BackupRecord backup, String storage, Instant now) {
    Optional<BackupCopy> known = copies.findByBackupIdAndStorage(backup.getId(), storage);
    if (known.isEmpty()) {
      copies.save(BackupCopy.found(backup, storage, now));
      return false;
    }
    BackupCopyStatus status = known.get().getStatus();
    if (status == BackupCopyStatus.AVAILABLE || status == BackupCopyStatus.DELETED) {
      return false;
    }
    known.get().written(backup.getStoredSize(), backup.getSha256Stored(), null, now);
    return true;
  }

  /**
   * Queues a {@code REPLICATE} of {@code backup}: a worker writes every copy it lacks.
   *
   * @param after the job this one follows, named in the new job's requester; null for none
   */
  public BackupJob queueReplication(
      BackupRecord backup, TriggerSource trigger, @Nullable BackupJob after, Instant now) {
    BackupJob replicate =
        BackupJob.queuedFor(
            backup.getId(),
            UUID.randomUUID(),
            JobType.REPLICATE,
            backup.getTarget(),
            trigger,
            after == null
                ? "replication of backup " + backup.getId()
                : "after " + after.getType() + " job " + after.getId(),
            null,
            after == null ? 3 : after.getMaxAttempts(),
            now);
    return jobs.save(replicate);
  }

  /**
   * Records what a read of each copy found (a copy found intact again is available again; a corrupt
   * or missing one is due for repair at once), and returns the warnings for those not intact.
   */
  public List<String> recordChecks(UUID backupId, List<CopyCheck> checks, Instant now) {
    List<String> warnings = new ArrayList<>();
    List<BackupCopy> rows = copies.lockByBackupId(backupId);
    for (CopyCheck check : checks) {
      String warning = check.warning();
      if (warning != null) {
        warnings.add(warning);
      }
      rows.stream()
          .filter(c -> c.getStorage().equals(check.storage()))
          .filter(c -> c.getStatus() != BackupCopyStatus.DELETED)
          .findFirst()
          .ifPresent(copy -> apply(copy, check, now));
    }
    return warnings;
  }

  private static void apply(BackupCopy copy, CopyCheck check, Instant now) {
    String error = java.util.Objects.requireNonNullElse(check.error(), "");
    switch (check.finding()) {
      case INTACT -> {
        if (copy.getStatus() == BackupCopyStatus.AVAILABLE) {
          copy.verified(now);
        } else if (copy.getStoredSize() != null && copy.getSha256Stored() != null) {
          copy.written(copy.getStoredSize(), copy.getSha256Stored(), now, now);
        }
      }
      case CORRUPT -> copy.corrupt(error, now);
      case MISSING -> copy.missing(error, now);
      case UNCHECKED -> {
        // the storage may be back next time; the copy keeps what it was
      }
    }
  }

  /**
   * A {@code REKEY} rewrote the backup's copy on {@code storage} (new header, same data): that copy
   * now holds the backup's new stored bytes; the copies on the other storages still hold the old
   * header and are due to be rewritten by a {@code REPLICATE} at once.
   */
  public void rekeyed(BackupRecord backup, String storage, Instant now) {
    for (BackupCopy copy : copiesOf(backup)) {
      if (copy.getStatus() == BackupCopyStatus.DELETED) {
        continue;
      }
      if (copy.getStorage().equals(storage)) {
        copy.written(backup.getStoredSize(), backup.getSha256Stored(), copy.getVerifiedAt(), now);
      } else if (copy.getStatus() == BackupCopyStatus.AVAILABLE) {
        copy.corrupt(
            "rekeyed on '"
                + storage
                + "': this copy still has the header of the old key; a REPLICATE rewrites it",
            now);
      }
    }
  }

  /**
   * The copies of a backup, the primary's first. A backup recorded without copies gets its one copy
   * (on its own storage) recorded now, so that every later change has a row to change.
   */
  public List<BackupCopy> copiesOf(BackupRecord backup) {
    List<BackupCopy> recorded = copies.findByBackupIdOrderByCreatedAt(backup.getId());
    if (!recorded.isEmpty()) {
      return recorded;
    }
    try {
      return List.of(copies.saveAndFlush(BackupCopy.implicitPrimary(backup)));
    } catch (DataIntegrityViolationException e) {
      // recorded at the same moment by another job
      return copies.findByBackupIdOrderByCreatedAt(backup.getId());
    }
  }

  /**
   * The copies of a backup in the order to read them: available ones first, then the others, each
   * group in the order of {@code BACKUP_STORAGE} (the primary first), each only if its storage is
   * configured here.
   */
  public List<BackupCopy> readOrder(BackupRecord backup) {
    return BackupCopy.readOrder(copiesOf(backup), storages.names());
  }

  /** True when a copy of the backup failed, is missing or is corrupt (not merely pending). */
  public boolean troubled(UUID backupId) {
    return copies.findByBackupIdOrderByCreatedAt(backupId).stream()
        .map(BackupCopy::getStatus)
        .anyMatch(
            s ->
                s == BackupCopyStatus.FAILED
                    || s == BackupCopyStatus.MISSING
                    || s == BackupCopyStatus.CORRUPT);
  }

  /**
   * The copies for a job's event: null when the backup has a single copy and this worker a single
   * storage (nothing to report beyond the backup itself).
   */
  public JobEvent.@Nullable Copies report(UUID backupId) {
    List<BackupCopy> all = copies.findByBackupIdOrderByCreatedAt(backupId);
    if (all.size() <= 1 && storages.all().size() <= 1) {
      return null;
    }
    return BackupCopy.summary(all);
  }
}
