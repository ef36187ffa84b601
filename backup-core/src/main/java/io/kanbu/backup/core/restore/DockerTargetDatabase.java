package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.source.PostgresContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TargetDatabase} of docker mode: every statement and the restore's psql run inside the
 * server's container ({@code docker exec -i <container> psql …}), as the configured user, with the
 * password only in the docker client's environment (see {@link PostgresContainer}). Statements are
 * {@code psql -c} with unaligned, NUL-separated output; the restore uses the container's own psql.
 */
public final class DockerTargetDatabase implements TargetDatabase {

  /** Catalog questions and session changes answer at once. */
  private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(2);

  /** {@code ANALYZE} reads a sample of every table: minutes on a large database. */
  private static final Duration ANALYZE_TIMEOUT = Duration.ofHours(6);

  private final PostgresContainer container;
  private final String targetName;

  public DockerTargetDatabase(PostgresContainer container, String targetName) {
    this.container = container;
    this.targetName = targetName;
  }

  @Override
  public PgVersion serverVersion() {
    return onServer(container::serverVersion);
  }

  /** The container's psql: the one installed with the server, so it normally suits it. */
  @Override
  public PgTool psql(PgToolLocator locator, PgVersion server) {
    PgTool psql = container.tool("psql");
    if (psql.version().majorVersionNum() < server.majorVersionNum()) {
      throw new PermanentBackupException(
          "the psql in container '"
              + container.name()
              + "' is "
              + psql.version().display()
              + ", older than the server ("
              + server.display()
              + "); check that POSTGRES_CONTAINER names the server's own container");
    }
    return psql;
  }

  /** {@code docker exec -i [-e PGPASSWORD] <container> psql <options> -U <user> -d <database>}. */
  @Override
  public ProcessBuilder psqlProcess(PgTool psql, String database, List<String> options) {
    return container.process(psql.name(), options, database);
  }

  @Override
  public boolean exists(String database) {
    return !onServer(db -> query(db, TargetSql.EXISTS.formatted(TargetSql.literal(database)), 1))
        .isEmpty();
  }

  @Override
  public TargetDatabase.@Nullable Settings settingsOf(String database) {
    List<List<String>> rows =
        onServer(db -> query(db, TargetSql.SETTINGS.formatted(TargetSql.literal(database)), 3));
    if (rows.isEmpty()) {
      return null;
    }
    List<String> row = rows.getFirst();
    return new Settings(row.get(0), row.get(1), row.get(2));
  }

  @Override
  public boolean isEmpty(String database) {
    return Long.parseLong(single(query(database, TargetSql.USER_RELATIONS, 1))) == 0;
  }

  @Override
  public List<Session> otherSessions(String database) {
    List<Session> sessions = new ArrayList<>();
    for (List<String> row :
        onServer(
            db -> query(db, TargetSql.OTHER_SESSIONS.formatted(TargetSql.literal(database)), 3))) {
      sessions.add(new Session(Integer.parseInt(row.get(0)), row.get(1), row.get(2)));
    }
    return sessions;
  }

  @Override
  public int terminateSessions(String database) {
    return Integer.parseInt(
        single(
            onServer(
                db ->
                    query(
                        db,
                        TargetSql.TERMINATE_SESSIONS.formatted(TargetSql.literal(database)),
                        1))));
  }

  @Override
  public void create(String database, @Nullable Settings like) {
    String sql = TargetSql.create(database, like);
    onServer(db -> query(db, sql, 0));
  }

  @Override
  public void analyze(String database) {
    run(database, "ANALYZE", 0, ANALYZE_TIMEOUT);
  }

  @Override
  public void dropIfExists(String database) {
    String sql = TargetSql.dropIfExists(database);
    if (database.equals(container.login().database())) {
      // the configured database itself (a restore created it): a session cannot drop its own
      query(TargetSql.MAINTENANCE_DATABASE, sql, 0);
    } else {
      onServer(db -> query(db, sql, 0));
    }
  }

  @FunctionalInterface
  private interface Statement<T> {
    T on(String database);
  }

  /**
   * A server-wide statement, through the configured database, or {@code postgres} when that one
   * does not exist (the restore may be about to create it).
   */
  private <T> T onServer(Statement<T> statement) {
    String configured = container.login().database();
    try {
      return statement.on(configured);
    } catch (BackupException e) {
      if (String.valueOf(e.getMessage())
          .contains("database \"" + configured + "\" does not exist")) {
        return statement.on(TargetSql.MAINTENANCE_DATABASE);
      }
      throw e;
    }
  }

  private List<List<String>> query(String database, String sql, int columns) {
    return run(database, sql, columns, STATEMENT_TIMEOUT);
  }

  private List<List<String>> run(String database, String sql, int columns, Duration timeout) {
    try {
      return container.query(database, sql, columns, timeout);
    } catch (BackupException e) {
      throw new PermanentBackupException(
          "unable to work on database '"
              + database
              + "' of target '"
              + targetName
              + "' through "
              + container
              + ": "
              + e.getMessage()
              + "; check "
              + container.setting(),
          e);
    }
  }

  private static String single(List<List<String>> rows) {
    return rows.getFirst().getFirst();
  }
}
