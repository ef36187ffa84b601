package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.LibpqClient;
import io.kanbu.backup.core.source.PgDumpSource;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.source.TableRowCount;
import io.kanbu.backup.core.source.TableRowCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TargetDatabase} of direct mode: statements over JDBC, psql from this machine, both
 * connecting over the network with the target's URL.
 */
public final class JdbcTargetDatabase implements TargetDatabase {

  private static final int CONNECT_TIMEOUT_SECONDS = 15;

  private final DatabaseConnection server;
  private final String targetName;
  private final String urlSetting;

  /**
   * @param server the target's configured connection; its database is used for server-wide
   *     statements (falling back to {@code postgres} when it does not exist)
   * @param urlSetting the setting that holds the connection URL, for messages
   */
  public JdbcTargetDatabase(DatabaseConnection server, String targetName, String urlSetting) {
    this.server = server;
    this.targetName = targetName;
    this.urlSetting = urlSetting;
  }

  /** The same server and credentials, database {@code name}. */
  DatabaseConnection connectionTo(String name) {
    return new DatabaseConnection(
        server.host(), server.port(), name, server.user(), server.password(), server.params());
  }

  @Override
  public PgVersion serverVersion() {
    try {
      return PgDumpSource.queryServerVersion(server, targetName, urlSetting);
    } catch (PermanentBackupException e) {
      if (isMissingDatabase(e)) {
        return PgDumpSource.queryServerVersion(
            connectionTo(TargetSql.MAINTENANCE_DATABASE), targetName, urlSetting);
      }
      throw e;
    }
  }

  @Override
  public PgTool psql(PgToolLocator locator, PgVersion server) {
    return locator.locate("psql", server);
  }

  /** {@code psql <options> -h -p -U -d}; libpq's settings and the password in the environment. */
  @Override
  public ProcessBuilder psqlProcess(PgTool psql, String database, List<String> options) {
    DatabaseConnection connection = connectionTo(database);
    List<String> args = new ArrayList<>();
    args.add(psql.path().toString());
    args.addAll(options);
    args.addAll(LibpqClient.connectionArguments(connection));
    ProcessBuilder pb = new ProcessBuilder(args);
    Map<String, String> env = pb.environment();
    LibpqClient.prepareEnvironment(
        env, connection, CONNECT_TIMEOUT_SECONDS, LibpqClient.RESTORE_APPLICATION);
    if (connection.password() != null) {
      env.put("PGPASSWORD", connection.password());
    }
    return pb;
  }

  @Override
  public boolean exists(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s = c.prepareStatement(TargetSql.EXISTS.formatted("?"))) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public @Nullable Settings settingsOf(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s = c.prepareStatement(TargetSql.SETTINGS.formatted("?"))) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? new Settings(rs.getString(1), rs.getString(2), rs.getString(3))
                  : null;
            }
          }
        });
  }

  @Override
  public boolean isEmpty(String database) {
    return withDatabase(
        database,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(TargetSql.USER_RELATIONS)) {
            rs.next();
            return rs.getLong(1) == 0;
          }
        });
  }

  @Override
  public List<Session> otherSessions(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s = c.prepareStatement(TargetSql.OTHER_SESSIONS.formatted("?"))) {
            s.setString(1, database);
            List<Session> sessions = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                sessions.add(new Session(rs.getInt(1), rs.getString(2), rs.getString(3)));
              }
            }
            return sessions;
          }
        });
  }

  @Override
  public int terminateSessions(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(TargetSql.TERMINATE_SESSIONS.formatted("?"))) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  @Override
  public void create(String database, @Nullable Settings like) {
    String sql = TargetSql.create(database, like);
    withServer(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
          return null;
        });
  }

  @Override
  public void analyze(String database) {
    withDatabase(
        database,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("ANALYZE");
          }
          return null;
        });
  }

  /** {@code count(*)} of every user table, as a manifest counts them. */
  public List<TableRowCount> rowCounts(String database) {
    return withDatabase(database, TableRowCounts::exactCounts);
  }

  @Override
  public void dropIfExists(String database) {
    JdbcWork<Void> drop =
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(TargetSql.dropIfExists(database));
          }
          return null;
        };
    if (database.equals(server.database())) {
      // the configured database itself (a restore created it): a session cannot drop its own
      withDatabase(TargetSql.MAINTENANCE_DATABASE, drop);
    } else {
      withServer(drop);
    }
  }

  @FunctionalInterface
  private interface JdbcWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withServer(JdbcWork<T> work) {
    try {
      return withDatabase(server.database(), work);
    } catch (PermanentBackupException e) {
      if (isMissingDatabase(e)) {
        // the configured database is gone (the restore may be about to recreate it)
        return withDatabase(TargetSql.MAINTENANCE_DATABASE, work);
      }
      throw e;
    }
  }

  private static boolean isMissingDatabase(PermanentBackupException e) {
    return e.getCause() instanceof SQLException sql && "3D000".equals(sql.getSQLState());
  }

  private <T> T withDatabase(String database, JdbcWork<T> work) {
    try (Connection c = PgDumpSource.openJdbc(connectionTo(database), targetName, urlSetting)) {
      return work.run(c);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String message =
          "unable to work on database '"
              + database
              + "' of target '"
              + targetName
              + "': "
              + e.getMessage()
              + " (SQL state "
              + state
              + ")";
      throw state.startsWith("08")
          ? new TransientBackupException(message + "; retry", e)
          : new PermanentBackupException(message + "; check " + urlSetting, e);
    }
  }
}
