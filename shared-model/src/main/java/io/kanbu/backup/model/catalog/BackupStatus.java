package io.kanbu.backup.model.catalog;

/** Where a backup stands in its storage. */
public enum BackupStatus {
  /** The object is in storage and complete. */
  AVAILABLE,
  /** The catalog knows it but storage no longer has it. */
  MISSING,
  /** Deleted on purpose (retention or an operator); the row is kept as history. */
  DELETED
}
