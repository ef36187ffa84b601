package io.kanbu.backup.model.catalog;

/** Where one copy of a backup stands on its storage. */
public enum BackupCopyStatus {
  /** The copy is to be written by a {@code REPLICATE} job that has not run yet. */
  PENDING,
  /** The copy is on its storage, complete, with the backup's stored-bytes digest. */
  AVAILABLE,
  /** Writing the copy failed; a later {@code REPLICATE} tries again. */
  FAILED,
  /** The copy was recorded but its storage no longer has it. */
  MISSING,
  /** A verification or a read found the copy's bytes differ from the backup's digest. */
  CORRUPT,
  /** Deleted with its backup (retention); kept as history. */
  DELETED;

  /** True for a copy that a {@code REPLICATE} should (re)write. */
  public boolean needsRepair() {
    return this == PENDING || this == FAILED || this == MISSING || this == CORRUPT;
  }
}
