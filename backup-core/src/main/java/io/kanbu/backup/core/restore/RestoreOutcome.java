package io.kanbu.backup.core.restore;

import java.time.Duration;
import java.util.List;

/**
 * A committed restore.
 *
 * @param database the database that now holds the backup
 * @param created whether the restore created it
 * @param terminatedSessions sessions ended before the apply
 * @param tablesChecked tables whose row count was compared with the manifest inside the transaction
 *     (0 when the manifest has no exact counts)
 * @param applyTime from starting psql to its exit after the commit
 * @param warnings things that did not stop the restore (no row counts to compare, ANALYZE failed)
 */
public record RestoreOutcome(
    String database,
    boolean created,
    int terminatedSessions,
    int tablesChecked,
    Duration applyTime,
    List<String> warnings) {

  public RestoreOutcome {
    warnings = List.copyOf(warnings);
  }
}
