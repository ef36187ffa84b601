package io.kanbu.backup.model.catalog;

/** What a backup holds. */
public enum BackupKind {
  DATABASE,
  SOURCE
}
