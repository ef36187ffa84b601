package io.kanbu.backup.model.job;

/** What a job does. The names are part of the wire contract and of the catalog. */
public enum JobType {
  BACKUP_DATABASE,
  BACKUP_SOURCE,
  RESTORE_DATABASE,
  RESTORE_SOURCE,
  VERIFY,
  PRUNE,
  REPLICATE,
  /**
   * Re-wraps the data key of encrypted backups under the primary key (one backup, or every one
   * wrapped by another key); rewrites headers and manifests, never the data.
   */
  REKEY,
  /** Reconciles the catalog with what storage holds (adopts described objects, marks missing). */
  RESCAN,
  /**
   * Deletes one backup on an operator's request: every copy (object and manifest) on every storage,
   * then marks its copies and the backup {@code DELETED} (the rows stay as history).
   */
  DELETE_BACKUP;

  /**
   * The catalog lock a running job of this type holds on its target, or {@code null} when the type
   * may run beside anything. Only one running job may hold a given lock (a partial unique index
   * enforces it), so a restore never interleaves with a backup of the same database.
   */
  public @org.jspecify.annotations.Nullable String lockKey(String target) {
    return switch (this) {
      case BACKUP_DATABASE, RESTORE_DATABASE -> "database:" + target;
      case BACKUP_SOURCE, RESTORE_SOURCE -> "source:" + target;
      case VERIFY, REPLICATE -> null;
      // two prunes at once would plan from the same catalog and race to delete
      case PRUNE -> "storage:prune";
      // rekeys rewrite objects in place: two at once could rewrite the same object from two reads;
      // a delete shares their lock, else a rekey's replace could write back an object (or its
      // manifest) just deleted. A prune is kept off by the backup's row lock and its in-use check.
      case REKEY, DELETE_BACKUP -> "storage:rekey";
      case RESCAN -> "storage:rescan";
    };
  }
}
