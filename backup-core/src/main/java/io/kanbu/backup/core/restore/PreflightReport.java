package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgVersion;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the pre-flight checks of a restore found, before anything touched the target.
 *
 * @param targetName the target's name
 * @param database the database that will be overwritten (or created)
 * @param serverVersion the target server's version
 * @param sourceVersion the version of the server the backup was taken from (manifest); null when
 *     unknown (legacy backup)
 * @param psql the psql chosen for the server; null when none suits (then it is a refusal)
 * @param databaseExists whether the database exists now
 * @param databaseEmpty whether it has no user relations (true when it does not exist)
 * @param otherSessions sessions connected to the database now
 * @param terminateConnections whether the request allows ending them
 * @param refusals checks that failed; the restore must not go on if there is any
 * @param warnings things the operator should know that do not stop the restore
 */
public record PreflightReport(
    String targetName,
    String database,
    PgVersion serverVersion,
    @Nullable PgVersion sourceVersion,
    @Nullable PgTool psql,
    boolean databaseExists,
    boolean databaseEmpty,
    List<TargetDatabase.Session> otherSessions,
    boolean terminateConnections,
    List<String> refusals,
    List<String> warnings) {

  public PreflightReport {
    Objects.requireNonNull(targetName, "targetName");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(serverVersion, "serverVersion");
    otherSessions = List.copyOf(otherSessions);
    refusals = List.copyOf(refusals);
    warnings = List.copyOf(warnings);
  }

  public boolean ok() {
    return refusals.isEmpty() && psql != null;
  }

  /**
   * A safety backup of the database is needed before the apply: it holds data (a new or empty
   * database has nothing to lose).
   */
  public boolean needsSafetyBackup() {
    return databaseExists && !databaseEmpty;
  }

  /**
   * @return the psql to use
   * @throws RestoreRefusedException listing every refusal
   */
  public PgTool requireOk() {
    if (!refusals.isEmpty() || psql == null) {
      throw new RestoreRefusedException(
          database, refusals.isEmpty() ? List.of("no suitable psql") : refusals);
    }
    return psql;
  }
}
