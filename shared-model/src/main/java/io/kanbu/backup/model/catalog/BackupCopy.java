package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.messaging.JobEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One copy of a backup on one storage ({@code BACKUP_STORAGE} lists several): its status, where it
 * is, and the stored bytes it holds. Changed only through the intent methods below.
 */
@Entity
@Table(name = "backup_copy")
public class BackupCopy {

  /** The longest pause between two attempts at a failed copy. */
  public static final Duration MAX_RETRY_PAUSE = Duration.ofHours(6);

  @Id private UUID id;

  @Column(name = "backup_id", nullable = false)
  private UUID backupId;

  @Column(nullable = false)
  private String storage;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private BackupCopyStatus status;

  @Column(name = "object_key", nullable = false)
  private String objectKey;

  @Column(name = "manifest_key")
  private @Nullable String manifestKey;

  @Column(name = "stored_size")
  private @Nullable Long storedSize;

  @Column(name = "sha256_stored")
  private @Nullable String sha256Stored;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "verified_at")
  private @Nullable Instant verifiedAt;

  @Column(name = "last_error")
  private @Nullable String lastError;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "next_attempt_at")
  private @Nullable Instant nextAttemptAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected BackupCopy() {}

  private BackupCopy(
      UUID backupId,
      String storage,
      BackupCopyStatus status,
      String objectKey,
      @Nullable String manifestKey,
      Instant now) {
    this.id = UUID.randomUUID();
    this.backupId = Objects.requireNonNull(backupId, "backupId");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.status = status;
    this.objectKey = Objects.requireNonNull(objectKey, "objectKey");
    this.manifestKey = manifestKey;
    this.createdAt = Objects.requireNonNull(now, "now");
    this.updatedAt = now;
  }

  /** The copy a backup was written to: its own storage, object and digest. */
  public static BackupCopy primaryOf(BackupRecord backup, Instant now) {
    BackupCopy copy =
        new BackupCopy(
            backup.getId(),
            backup.getStorage(),
            BackupCopyStatus.PENDING,
            backup.getObjectKey(),
            backup.getManifestKey(),
            now);
    copy.written(backup.getStoredSize(), backup.getSha256Stored(), backup.getVerifiedAt(), now);
    return copy;
  }

  /**
   * The one copy a backup recorded without copies has (a row from before copies were recorded, or
   * written by a tool that does not record them): on its own storage, in the backup's status.
   */
  public static BackupCopy implicitPrimary(BackupRecord backup) {
    BackupCopy copy = primaryOf(backup, backup.getCreatedAt());
    switch (backup.getStatus()) {
      case AVAILABLE -> {}
      case MISSING -> copy.missing("the backup is missing", backup.getCreatedAt());
      case DELETED -> copy.deleted(backup.getCreatedAt());
    }
    return copy;
  }

  /** The copies recorded for a backup, or its implicit one when none is. */
  public static List<BackupCopy> orImplicit(List<BackupCopy> recorded, BackupRecord backup) {
    return recorded.isEmpty() ? List.of(implicitPrimary(backup)) : recorded;
  }

  /**
   * A copy found on a storage (a rescan adopted it): the object is there and its manifest describes
   * it; nothing read its bytes yet.
   */
  public static BackupCopy found(BackupRecord backup, String storage, Instant now) {
    BackupCopy copy =
        new BackupCopy(
            backup.getId(),
            storage,
            BackupCopyStatus.PENDING,
            backup.getObjectKey(),
            backup.getManifestKey(),
            now);
    copy.written(backup.getStoredSize(), backup.getSha256Stored(), null, now);
    return copy;
  }

  /** A copy to be written to {@code storage} by a {@code REPLICATE} job. */
  public static BackupCopy pending(BackupRecord backup, String storage, Instant now) {
    return new BackupCopy(
        backup.getId(),
        storage,
        BackupCopyStatus.PENDING,
        backup.getObjectKey(),
        backup.getManifestKey(),
        now);
  }

  /**
   * The copy was written (or found) complete, with these stored bytes.
   *
   * @param verifiedAt when its digest was last checked (a replication checks it while copying);
   *     null if never
   */
  public void written(
      long storedSize, String sha256Stored, @Nullable Instant verifiedAt, Instant now) {
    if (storedSize < 0 || !sha256Stored.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "an available copy needs its stored size and a 64 hex character sha256Stored");
    }
    this.status = BackupCopyStatus.AVAILABLE;
    this.storedSize = storedSize;
    this.sha256Stored = sha256Stored;
    this.verifiedAt = verifiedAt;
    this.lastError = null;
    this.attempts = 0;
    this.nextAttemptAt = null;
    this.updatedAt = now;
  }

  /**
   * Writing the copy failed; the next attempt waits {@code firstPause} doubled per earlier failed
   * attempt, at most {@link #MAX_RETRY_PAUSE}.
   */
  public void failed(String error, Duration firstPause, Instant now) {
    this.status = BackupCopyStatus.FAILED;
    this.lastError = Objects.requireNonNull(error, "error");
    this.attempts++;
    Duration pause = firstPause.multipliedBy(1L << Math.min(attempts - 1, 20));
    this.nextAttemptAt = now.plus(pause.compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : pause);
    this.updatedAt = now;
  }

  /** The storage no longer has the copy; a {@code REPLICATE} may write it again at once. */
  public void missing(String error, Instant now) {
    damaged(BackupCopyStatus.MISSING, error, now);
  }

  /** The copy's bytes differ from the backup's digest; a {@code REPLICATE} may rewrite it. */
  public void corrupt(String error, Instant now) {
    damaged(BackupCopyStatus.CORRUPT, error, now);
  }

  private void damaged(BackupCopyStatus status, String error, Instant now) {
    this.status = status;
    this.lastError = Objects.requireNonNull(error, "error");
    this.verifiedAt = null;
    this.nextAttemptAt = now;
    this.updatedAt = now;
  }

  /** A verification read the copy and every check passed. */
  public void verified(Instant now) {
    if (status != BackupCopyStatus.AVAILABLE) {
      throw new IllegalStateException(
          "copy of backup " + backupId + " on '" + storage + "' is " + status);
    }
    this.verifiedAt = now;
    this.updatedAt = now;
  }

  /** A {@code REPLICATE} job was queued for this copy: no other is queued until it ran. */
  public void repairQueued(Instant now) {
    this.nextAttemptAt = null;
    this.updatedAt = now;
  }

  /** Retention deleted the copy from its storage. */
  public void deleted(Instant now) {
    this.status = BackupCopyStatus.DELETED;
    this.nextAttemptAt = null;
    this.updatedAt = now;
  }

  /**
   * The copies to read, best first: available ones, then the others (a copy the catalog has as
   * missing may be back), each group in the order of {@code storages} (the primary first); copies
   * on other storages and deleted ones are left out.
   *
   * @param storages the names of the storages the reader has, in {@code BACKUP_STORAGE} order
   */
  public static List<BackupCopy> readOrder(List<BackupCopy> copies, List<String> storages) {
    return copies.stream()
        .filter(c -> storages.contains(c.storage))
        .filter(c -> c.status != BackupCopyStatus.DELETED)
        .sorted(
            Comparator.comparing((BackupCopy c) -> c.status != BackupCopyStatus.AVAILABLE)
                .thenComparing(c -> storages.indexOf(c.storage)))
        .toList();
  }

  /** The copies as a job's event reports them. */
  public static JobEvent.Copies summary(List<BackupCopy> copies) {
    return JobEvent.Copies.of(
        copies.stream()
            .filter(c -> c.status != BackupCopyStatus.DELETED)
            .map(c -> new JobEvent.Copy(c.storage, c.status.name(), c.lastError))
            .toList());
  }

  public UUID getId() {
    return id;
  }

  public UUID getBackupId() {
    return backupId;
  }

  public String getStorage() {
    return storage;
  }

  public BackupCopyStatus getStatus() {
    return status;
  }

  public String getObjectKey() {
    return objectKey;
  }

  public @Nullable String getManifestKey() {
    return manifestKey;
  }

  public @Nullable Long getStoredSize() {
    return storedSize;
  }

  public @Nullable String getSha256Stored() {
    return sha256Stored;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public @Nullable Instant getVerifiedAt() {
    return verifiedAt;
  }

  public @Nullable String getLastError() {
    return lastError;
  }

  public int getAttempts() {
    return attempts;
  }

  public @Nullable Instant getNextAttemptAt() {
    return nextAttemptAt;
  }
}
