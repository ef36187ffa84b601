package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A backup as the API shows it. The object key stays internal: callers download through {@code
 * downloadUrl}.
 *
 * @param id the backup id
 * @param jobId the job that made it
 * @param target the target it is a backup of
 * @param kind DATABASE or SOURCE
 * @param status AVAILABLE, MISSING, DELETING (a {@code DELETE_BACKUP} started and has not finished)
 *     or DELETED
 * @param storage the storage that keeps it, e.g. {@code local}
 * @param fileName the file name a download gets
 * @param rawSize bytes the source produced
 * @param compressedSize bytes after compression
 * @param storedSize bytes in storage (after encryption, if any)
 * @param sha256 SHA-256 of the compressed plaintext
 * @param sha256Stored SHA-256 of the stored bytes
 * @param compression the compression used, e.g. {@code gzip}
 * @param encrypted whether the stored bytes are encrypted
 * @param keyId the keyring id of the key that wrapped the data key, null if not encrypted
 * @param pgServerVersion version of the PostgreSQL server dumped
 * @param pgDumpVersion version of the pg_dump that dumped it
 * @param createdAt when it was complete
 * @param downloadUrl where to download it
 * @param verifiedAt when a verification last found it intact; null if never or if the last one
 *     failed
 * @param verifyError why the last verification failed (names the failed check), else null
 * @param source what a source backup holds; null for a database backup
 * @param lastDrill the last restore drill of a database backup; null if it never had one
 * @param legacy a file of the original Kanbu imported by a rescan: its sizes and digests were
 *     measured when it was imported, not recorded when it was made
 * @param adoptedAt when a rescan brought it into the catalog (from its manifest, or as a legacy
 *     import); null for a backup recorded by the job that made it
 * @param pinned an operator pinned it: retention never deletes it
 * @param deletedAt when a {@code PRUNE} or {@code DELETE_BACKUP} job deleted it (status {@code
 *     DELETED}); null otherwise
 * @param deleteReason why the retention policy let it go, e.g. {@code delete: beyond keepDaily=7},
 *     or who asked for a {@code DELETE_BACKUP}
 * @param copies its copies on the storages of {@code BACKUP_STORAGE} and whether it is degraded
 */
public record BackupView(
    UUID id,
    UUID jobId,
    String target,
    BackupKind kind,
    BackupStatus status,
    String storage,
    String fileName,
    long rawSize,
    long compressedSize,
    long storedSize,
    String sha256,
    String sha256Stored,
    String compression,
    boolean encrypted,
    @Nullable String keyId,
    @Nullable String pgServerVersion,
    @Nullable String pgDumpVersion,
    Instant createdAt,
    String downloadUrl,
    @Nullable Instant verifiedAt,
    @Nullable String verifyError,
    @Nullable Source source,
    @Nullable Drill lastDrill,
    boolean legacy,
    @Nullable Instant adoptedAt,
    boolean pinned,
    @Nullable Instant deletedAt,
    @Nullable String deleteReason,
    Copies copies) {

  /**
   * The copies of a backup ({@code BACKUP_STORAGE} lists several storages: the first is written,
   * the others receive copies through {@code REPLICATE} jobs).
   *
   * @param state {@code "complete: 2 of 2 copies"} or {@code "degraded: 1 of 2 copies"}
   * @param degraded fewer copies are available than the backup should have
   * @param available copies complete and intact as far as the catalog knows
   * @param total copies it should have
   * @param storages each copy
   */
  public record Copies(
      String state, boolean degraded, int available, int total, List<CopyView> storages) {

    static Copies of(List<BackupCopy> copies) {
      List<CopyView> views =
          copies.stream()
              .filter(c -> c.getStatus() != BackupCopyStatus.DELETED)
              .map(CopyView::of)
              .toList();
      int available =
          (int) views.stream().filter(c -> c.status() == BackupCopyStatus.AVAILABLE).count();
      boolean degraded = available < views.size();
      return new Copies(
          (degraded ? "degraded: " : "complete: ") + available + " of " + views.size() + " copies",
          degraded,
          available,
          views.size(),
          views);
    }
  }

  /**
   * One copy of a backup.
   *
   * @param storage its storage, e.g. {@code gdrive}
   * @param status PENDING, AVAILABLE, FAILED, MISSING or CORRUPT
   * @param storedSize its size, once written
   * @param sha256Stored the SHA-256 of its bytes, once written
   * @param verifiedAt when its bytes were last checked (while copying, or by a verification)
   * @param lastError why it is not available
   * @param nextAttemptAt when a {@code REPLICATE} tries again to write it
   */
  public record CopyView(
      String storage,
      BackupCopyStatus status,
      @Nullable Long storedSize,
      @Nullable String sha256Stored,
      @Nullable Instant verifiedAt,
      @Nullable String lastError,
      @Nullable Instant nextAttemptAt) {

    static CopyView of(BackupCopy copy) {
      return new CopyView(
          copy.getStorage(),
          copy.getStatus(),
          copy.getStoredSize(),
          copy.getSha256Stored(),
          copy.getVerifiedAt(),
          copy.getLastError(),
          copy.getNextAttemptAt());
    }
  }

  /**
   * A restore drill: the backup restored into a scratch database and compared with its manifest.
   *
   * @param at when it ended
   * @param passed whether the restore committed with every row count matching ("verified
   *     restorable")
   * @param seconds how long the restore took (the recovery time it shows); null if it did not
   *     finish
   * @param error why it failed (the tables whose row counts differ, psql's error); null if passed
   */
  public record Drill(
      Instant at, boolean passed, @Nullable Double seconds, @Nullable String error) {}

  /**
   * What a source backup holds.
   *
   * @param fileCount regular files in the archive
   * @param sourceBytes their bytes before compression
   * @param excludedPatterns the exclusion rules in force, in order
   * @param gitCommit the work tree's {@code HEAD}, if it was a git work tree
   * @param gitUncommittedChanges whether it had uncommitted changes, if it was a git work tree
   */
  public record Source(
      @Nullable Long fileCount,
      @Nullable Long sourceBytes,
      List<String> excludedPatterns,
      @Nullable String gitCommit,
      @Nullable Boolean gitUncommittedChanges) {}

  /**
   * The backup as the API shows it.
   *
   * @param copies its copies, from the catalog
   */
  public static BackupView of(BackupRecord backup, List<BackupCopy> copies) {
    return new BackupView(
        backup.getId(),
        backup.getJobId(),
        backup.getTarget(),
        backup.getKind(),
        backup.getStatus(),
        backup.getStorage(),
        backup.getFileName(),
        backup.getRawSize(),
        backup.getCompressedSize(),
        backup.getStoredSize(),
        backup.getSha256(),
        backup.getSha256Stored(),
        backup.getCompression(),
        backup.isEncrypted(),
        backup.getKeyId(),
        backup.getPgServerVersion(),
        backup.getPgDumpVersion(),
        backup.getCreatedAt(),
        "/api/v1/backups/" + backup.getId() + "/download",
        backup.getVerifiedAt(),
        backup.getVerifyError(),
        backup.getKind() != BackupKind.SOURCE
            ? null
            : new Source(
                backup.getFileCount(),
                backup.getSourceBytes(),
                backup.getExcludedPatterns(),
                backup.getGitCommit(),
                backup.getGitDirty()),
        backup.getLastDrillAt() == null || backup.getLastDrillPassed() == null
            ? null
            : new Drill(
                backup.getLastDrillAt(),
                backup.getLastDrillPassed(),
                backup.getLastDrillSeconds(),
                backup.getLastDrillError()),
        backup.isLegacy(),
        backup.getAdoptedAt(),
        backup.isPinned(),
        backup.getDeletedAt(),
        backup.getDeleteReason(),
        Copies.of(copies));
  }
}
