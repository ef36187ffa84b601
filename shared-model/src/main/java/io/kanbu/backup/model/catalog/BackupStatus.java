package io.kanbu.backup.model.catalog;

/** Where a backup stands in its storage. */
public enum BackupStatus {
  /** The object is in storage and complete. */
  AVAILABLE,
  /** The catalog knows it but storage no longer has it. */
  MISSING,
  /**
   * An operator's {@code DELETE_BACKUP} job started deleting its copies and has not finished (it
   * failed on a storage, or is still running): some copies may be gone, so nothing reads it any
   * more; deleting it again finishes the work.
   */
  DELETING,
  /** Deleted on purpose (retention or an operator); the row is kept as history. */
  DELETED
}
