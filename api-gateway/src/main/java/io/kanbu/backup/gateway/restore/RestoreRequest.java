package io.kanbu.backup.gateway.restore;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/backups/{id}/restore}.
 *
 * @param target the target to restore on; default: the backup's target
 * @param database another database to restore into (created if missing); default: the target's
 * @param confirm the name of the database that will be overwritten, typed again
 * @param terminateConnections end other sessions on the database first; default false (then the
 *     restore is refused while there are any)
 * @param skipSafetyBackup waive the safety backup, with the reason that is recorded
 */
public record RestoreRequest(
    @Nullable String target,
    @Nullable String database,
    @Nullable String confirm,
    @Nullable Boolean terminateConnections,
    @Nullable SkipSafetyBackup skipSafetyBackup) {

  /**
   * @param reason why no safety backup is needed; required
   */
  public record SkipSafetyBackup(@Nullable String reason) {}
}
