package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One backup object in storage, as the catalog knows it. Written once a backup is complete. */
@Entity
@Table(name = "backup")
public class BackupRecord {

  @Id private UUID id;

  @Column(name = "job_id", nullable = false)
  private UUID jobId;

  @Column(nullable = false)
  private String target;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private BackupKind kind;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private BackupStatus status;

  @Column(nullable = false)
  private String storage;

  @Column(name = "object_key", nullable = false)
  private String objectKey;

  @Column(name = "file_name", nullable = false)
  private String fileName;

  @Column(name = "raw_size", nullable = false)
  private long rawSize;

  @Column(name = "compressed_size", nullable = false)
  private long compressedSize;

  @Column(name = "stored_size", nullable = false)
  private long storedSize;

  @Column(nullable = false)
  private String sha256;

  @Column(name = "sha256_stored", nullable = false)
  private String sha256Stored;

  @Column(nullable = false)
  private String compression;

  @Column(nullable = false)
  private boolean encrypted;

  @Column(name = "pg_server_version")
  private @Nullable String pgServerVersion;

  @Column(name = "pg_dump_version")
  private @Nullable String pgDumpVersion;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "file_count")
  private @Nullable Long fileCount;

  @Column(name = "source_bytes")
  private @Nullable Long sourceBytes;

  @Column(name = "excluded_patterns")
  private @Nullable String excludedPatterns;

  @Column(name = "git_commit")
  private @Nullable String gitCommit;

  @Column(name = "git_dirty")
  private @Nullable Boolean gitDirty;

  @Column(name = "key_id")
  private @Nullable String keyId;

  @Column(name = "manifest_key")
  private @Nullable String manifestKey;

  @Column(name = "verified_at")
  private @Nullable Instant verifiedAt;

  @Column(name = "verify_error")
  private @Nullable String verifyError;

  @Column(name = "verify_checked_at")
  private @Nullable Instant verifyCheckedAt;

  @Column(name = "adopted_at")
  private @Nullable Instant adoptedAt;

  @Column(nullable = false)
  private boolean legacy;

  @Column(name = "last_drill_at")
  private @Nullable Instant lastDrillAt;

  @Column(name = "last_drill_passed")
  private @Nullable Boolean lastDrillPassed;

  @Column(name = "last_drill_seconds")
  private @Nullable Double lastDrillSeconds;

  @Column(name = "last_drill_error")
  private @Nullable String lastDrillError;

  @Column(nullable = false)
  private boolean pinned;

  @Column(name = "pinned_at")
  private @Nullable Instant pinnedAt;

  @Column(name = "pinned_by")
  private @Nullable String pinnedBy;

  @Column(name = "deleted_at")
  private @Nullable Instant deletedAt;

  @Column(name = "deleted_by_job_id")
  private @Nullable UUID deletedByJobId;

  @Column(name = "delete_reason")
  private @Nullable String deleteReason;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected BackupRecord() {}

  /**
   * A backup that was written completely and is available in storage.
   *
   * @param location where and under which name it is stored
   * @param content sizes and digests of what was stored
   */
  public static BackupRecord available(
      UUID id,
      UUID jobId,
      String target,
      BackupKind kind,
      Location location,
      Content content,
      Instant createdAt) {
    BackupRecord record = new BackupRecord();
    record.id = Objects.requireNonNull(id, "id");
    record.jobId = Objects.requireNonNull(jobId, "jobId");
    record.target = Objects.requireNonNull(target, "target");
    record.kind = Objects.requireNonNull(kind, "kind");
    record.status = BackupStatus.AVAILABLE;
    record.storage = location.storage();
    record.objectKey = location.objectKey();
    record.fileName = location.fileName();
    record.rawSize = content.rawSize();
    record.compressedSize = content.compressedSize();
    record.storedSize = content.storedSize();
    record.sha256 = content.sha256();
    record.sha256Stored = content.sha256Stored();
    record.compression = content.compression();
    record.encrypted = content.encrypted();
    record.pgServerVersion = content.pgServerVersion();
    record.pgDumpVersion = content.pgDumpVersion();
    record.keyId = content.keyId();
    record.manifestKey = location.manifestKey();
    record.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    return record;
  }

  /**
   * Adds what a source backup holds.
   *
   * @param fileCount regular files in the archive
   * @param sourceBytes their bytes before compression
   * @param excludedPatterns the exclusion rules in force, in order
   * @param gitCommit the work tree's {@code HEAD}, or null if not a git work tree
   * @param gitDirty whether it had uncommitted changes, or null if not a git work tree
   * @return this
   */
  public BackupRecord withSourceDetails(
      long fileCount,
      long sourceBytes,
      List<String> excludedPatterns,
      @Nullable String gitCommit,
      @Nullable Boolean gitDirty) {
    if (kind != BackupKind.SOURCE) {
      throw new IllegalStateException("only a source backup has source details");
    }
    this.fileCount = fileCount;
    this.sourceBytes = sourceBytes;
    this.excludedPatterns = String.join("\n", excludedPatterns);
    this.gitCommit = gitCommit;
    this.gitDirty = gitDirty;
    return this;
  }

  public @Nullable Long getFileCount() {
    return fileCount;
  }

  public @Nullable Long getSourceBytes() {
    return sourceBytes;
  }

  /** The exclusion rules of a source backup, in order; empty for database backups. */
  public List<String> getExcludedPatterns() {
    return excludedPatterns == null || excludedPatterns.isEmpty()
        ? List.of()
        : List.of(excludedPatterns.split("\n"));
  }

  public @Nullable String getGitCommit() {
    return gitCommit;
  }

  public @Nullable Boolean getGitDirty() {
    return gitDirty;
  }

  /** Storage found the object gone. */
  public void markMissing() {
    this.status = BackupStatus.MISSING;
  }

  /** A rescan found the object of a backup marked missing back in storage. */
  public void markFoundAgain() {
    if (status != BackupStatus.MISSING) {
      throw new IllegalStateException("backup " + id + " is " + status + ", not MISSING");
    }
    this.status = BackupStatus.AVAILABLE;
  }

  /**
   * Marks a row that a rescan rebuilt from the manifest in storage (the catalog had lost it); its
   * job id is then the rescan's.
   *
   * @return this
   */
  public BackupRecord adoptedAt(Instant now) {
    this.adoptedAt = Objects.requireNonNull(now, "now");
    return this;
  }

  public @Nullable Instant getAdoptedAt() {
    return adoptedAt;
  }

  /**
   * Marks a row that a rescan imported from a file of the original Kanbu: its sizes and digests
   * were measured by the full read that imported it (which also verified it), not recorded when it
   * was made.
   *
   * @return this
   */
  public BackupRecord importedLegacyAt(Instant now) {
    adoptedAt(now);
    this.legacy = true;
    markVerified(now);
    return this;
  }

  /** A file of the original Kanbu, without a manifest or a digest recorded when it was made. */
  public boolean isLegacy() {
    return legacy;
  }

  /**
   * A {@code REKEY} re-wrapped the backup's data key under another key: the stored object has a new
   * header, so its size and SHA-256 changed; the data bytes, the plaintext digest and the
   * verification state stay (the same data still decrypts to the same plaintext).
   *
   * @param keyId the key that wraps the data key now
   * @param storedSize the stored object's new size
   * @param sha256Stored the stored object's new SHA-256 (hex)
   */
  public void rekeyed(String keyId, long storedSize, String sha256Stored) {
    if (!encrypted) {
      throw new IllegalStateException(
          "backup " + id + " is not encrypted: it has no key to change");
    }
    if (storedSize < 0 || !sha256Stored.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a rekeyed backup needs its stored size and a 64 hex character sha256Stored");
    }
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.storedSize = storedSize;
    this.sha256Stored = sha256Stored;
  }

  /**
   * Records a restore drill: the backup was restored into a scratch database ({@code passed}: the
   * restore committed and every table's row count matched the manifest).
   *
   * @param seconds how long the restore took, null if it did not get that far
   * @param error why it failed (names the tables whose counts differ), null if it passed
   */
  public void recordDrill(
      boolean passed, @Nullable Double seconds, @Nullable String error, Instant now) {
    this.lastDrillAt = Objects.requireNonNull(now, "now");
    this.lastDrillPassed = passed;
    this.lastDrillSeconds = seconds;
    this.lastDrillError = error;
  }

  /** A verification read the whole backup and every check passed. */
  public void markVerified(Instant now) {
    this.verifiedAt = Objects.requireNonNull(now, "now");
    this.verifyError = null;
    this.verifyCheckedAt = now;
  }

  /**
   * A verification failed; {@code error} names the failed check. A backup that once verified is no
   * longer trusted after a failed verification.
   */
  public void markVerifyFailed(String error, Instant now) {
    this.verifiedAt = null;
    this.verifyError = Objects.requireNonNull(error, "error");
    this.verifyCheckedAt = Objects.requireNonNull(now, "now");
  }

  /**
   * Where a backup object lives.
   *
   * @param manifestKey object key of the manifest beside it, null if it has none
   */
  public record Location(
      String storage, String objectKey, String fileName, @Nullable String manifestKey) {
    public Location {
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(objectKey, "objectKey");
      Objects.requireNonNull(fileName, "fileName");
    }

    /** A location without a manifest. */
    public Location(String storage, String objectKey, String fileName) {
      this(storage, objectKey, fileName, null);
    }
  }

  /**
   * What a backup object holds: sizes at each pipeline stage and both digests.
   *
   * @param keyId the keyring id of the key that wrapped the data key; required when encrypted
   */
  public record Content(
      long rawSize,
      long compressedSize,
      long storedSize,
      String sha256,
      String sha256Stored,
      String compression,
      boolean encrypted,
      @Nullable String keyId,
      @Nullable String pgServerVersion,
      @Nullable String pgDumpVersion) {
    public Content {
      if (encrypted != (keyId != null)) {
        throw new IllegalArgumentException(
            "an encrypted backup needs its key id, an unencrypted one has none");
      }
      if (rawSize < 0 || compressedSize < 0 || storedSize < 0) {
        throw new IllegalArgumentException("backup sizes cannot be negative");
      }
      if (!sha256.matches("[0-9a-f]{64}") || !sha256Stored.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("backup digests must be 64 lowercase hex characters");
      }
      Objects.requireNonNull(compression, "compression");
    }
  }

  /** Pins the backup: retention never deletes it. */
  public void pin(@Nullable String by, Instant now) {
    if (!pinned) {
      pinned = true;
      pinnedAt = now;
      pinnedBy = by;
    }
  }

  /** Lets retention consider the backup again. */
  public void unpin() {
    pinned = false;
    pinnedAt = null;
    pinnedBy = null;
  }

  /**
   * Records that a {@code DELETE_BACKUP} job is deleting the backup's copies: from now on nothing
   * reads it (it is no longer {@code AVAILABLE}), and a failed delete leaves it so until deleting
   * it again finishes.
   *
   * @throws IllegalStateException if it is deleted already
   */
  public void markDeleting(UUID jobId, String reason) {
    if (status == BackupStatus.DELETED) {
      throw new IllegalStateException("backup " + id + " is deleted already");
    }
    status = BackupStatus.DELETING;
    deletedByJobId = jobId;
    deleteReason = reason;
  }

  /**
   * Records that a {@code PRUNE} or {@code DELETE_BACKUP} job deleted the object (and its manifest)
   * from every storage; the row stays as history.
   */
  public void markDeleted(UUID jobId, String reason, Instant now) {
    status = BackupStatus.DELETED;
    deletedAt = now;
    deletedByJobId = jobId;
    deleteReason = reason;
  }

  /** Its last restore drill passed. */
  public boolean isVerifiedRestorable() {
    return Boolean.TRUE.equals(lastDrillPassed);
  }

  public boolean isPinned() {
    return pinned;
  }

  public @Nullable Instant getPinnedAt() {
    return pinnedAt;
  }

  public @Nullable String getPinnedBy() {
    return pinnedBy;
  }

  public @Nullable Instant getDeletedAt() {
    return deletedAt;
  }

  public @Nullable String getDeleteReason() {
    return deleteReason;
  }

  /** The job that deleted the backup, or is deleting it; null if none did. */
  public @Nullable UUID getDeletedByJobId() {
    return deletedByJobId;
  }

  public UUID getId() {
    return id;
  }

  public UUID getJobId() {
    return jobId;
  }

  public String getTarget() {
    return target;
  }

  public BackupKind getKind() {
    return kind;
  }

  public BackupStatus getStatus() {
    return status;
  }

  public String getStorage() {
    return storage;
  }

  public String getObjectKey() {
    return objectKey;
  }

  public String getFileName() {
    return fileName;
  }

  public long getRawSize() {
    return rawSize;
  }

  public long getCompressedSize() {
    return compressedSize;
  }

  public long getStoredSize() {
    return storedSize;
  }

  public String getSha256() {
    return sha256;
  }

  public String getSha256Stored() {
    return sha256Stored;
  }

  public String getCompression() {
    return compression;
  }

  public boolean isEncrypted() {
    return encrypted;
  }

  public @Nullable String getPgServerVersion() {
    return pgServerVersion;
  }

  public @Nullable String getPgDumpVersion() {
    return pgDumpVersion;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable String getKeyId() {
    return keyId;
  }

  public @Nullable String getManifestKey() {
    return manifestKey;
  }

  /** When the last restore drill ended; null if it never had one. */
  public @Nullable Instant getLastDrillAt() {
    return lastDrillAt;
  }

  public @Nullable Boolean getLastDrillPassed() {
    return lastDrillPassed;
  }

  public @Nullable Double getLastDrillSeconds() {
    return lastDrillSeconds;
  }

  public @Nullable String getLastDrillError() {
    return lastDrillError;
  }

  public @Nullable Instant getVerifiedAt() {
    return verifiedAt;
  }

  public @Nullable String getVerifyError() {
    return verifyError;
  }

  public @Nullable Instant getVerifyCheckedAt() {
    return verifyCheckedAt;
  }
}
