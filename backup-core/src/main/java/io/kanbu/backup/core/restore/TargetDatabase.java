package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.DumpSnapshot;
import io.kanbu.backup.core.source.PgDumpSource;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.source.TableRowCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a restore asks of the target's server over JDBC: its version, whether a database exists or
 * is empty, who is connected, creating a database, {@code ANALYZE} and row counts. Connects as the
 * target's configured user.
 */
public final class TargetDatabase {

  /** Database names a restore accepts: a plain identifier, so messages and SQL stay simple. */
  public static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

  private static final String USER_RELATIONS =
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
          + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

  private final DatabaseConnection server;
  private final String targetName;
  private final String urlSetting;

  /**
   * @param server the target's configured connection; its database is used for server-wide
   *     statements (falling back to {@code postgres} when it does not exist)
   * @param urlSetting the setting that holds the connection URL, for messages
   */
  public TargetDatabase(DatabaseConnection server, String targetName, String urlSetting) {
    this.server = server;
    this.targetName = targetName;
    this.urlSetting = urlSetting;
  }

  /** Another session on a database. */
  public record Session(int pid, @Nullable String user, @Nullable String application) {
    @Override
    public String toString() {
      return "pid "
          + pid
          + " ("
          + user
          + (application == null || application.isEmpty() ? "" : ", " + application)
          + ")";
    }
  }

  /**
   * A database's encoding and locale, to create a copy like it.
   *
   * @param encoding e.g. {@code UTF8}
   * @param collate {@code LC_COLLATE}
   * @param ctype {@code LC_CTYPE}
   */
  public record Settings(String encoding, String collate, String ctype) {}

  /** The same server and credentials, database {@code name}. */
  public DatabaseConnection connectionTo(String name) {
    return new DatabaseConnection(
        server.host(), server.port(), name, server.user(), server.password(), server.params());
  }

  /**
   * The server's version, asked of the configured database, or of {@code postgres} when that one
   * does not exist (yet: the restore may be about to create it).
   */
  public PgVersion serverVersion() {
    try {
      return PgDumpSource.queryServerVersion(server, targetName, urlSetting);
    } catch (PermanentBackupException e) {
      if (isMissingDatabase(e)) {
        return PgDumpSource.queryServerVersion(connectionTo("postgres"), targetName, urlSetting);
      }
      throw e;
    }
  }

  public boolean exists(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** The database's encoding and locale, if it exists. */
  public @Nullable Settings settingsOf(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
                      + " WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? new Settings(rs.getString(1), rs.getString(2), rs.getString(3))
                  : null;
            }
          }
        });
  }

  /** True if the database has no user tables, views, sequences or foreign tables. */
  public boolean isEmpty(String database) {
    return withDatabase(
        database,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(USER_RELATIONS)) {
            rs.next();
            return rs.getLong(1) == 0;
          }
        });
  }

  /** The other sessions connected to the database (not this one). */
  public List<Session> otherSessions(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT pid, usename, application_name FROM pg_stat_activity"
                      + " WHERE datname = ? AND pid <> pg_backend_pid() ORDER BY pid")) {
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

  /**
   * Ends every other session on the database ({@code pg_terminate_backend}).
   *
   * @return how many were ended
   */
  public int terminateSessions(String database) {
    return withServer(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  /**
   * {@code CREATE DATABASE} from {@code template0}, with the given encoding and locale when known.
   */
  public void create(String database, @Nullable Settings like) {
    StringBuilder sql =
        new StringBuilder("CREATE DATABASE ")
            .append(quote(requireName(database)))
            .append(" TEMPLATE template0");
    if (like != null) {
      sql.append(" ENCODING ")
          .append(literal(like.encoding()))
          .append(" LC_COLLATE ")
          .append(literal(like.collate()))
          .append(" LC_CTYPE ")
          .append(literal(like.ctype()));
    }
    withServer(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(sql.toString());
          }
          return null;
        });
  }

  /** {@code ANALYZE} of the whole database, so the planner knows the restored data. */
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
    return withDatabase(database, DumpSnapshot::exactCounts);
  }

  /** Drops the database, ending its sessions ({@code WITH (FORCE)}, PostgreSQL 13 and newer). */
  public void dropIfExists(String database) {
    JdbcWork<Void> drop =
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(requireName(database)) + " WITH (FORCE)");
          }
          return null;
        };
    if (database.equals(server.database())) {
      // the configured database itself (a restore created it): a session cannot drop its own
      withDatabase("postgres", drop);
    } else {
      withServer(drop);
    }
  }

  /** Rejects names outside {@link #DATABASE_NAME}. */
  public static String requireName(String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new PermanentBackupException(
          "database name '"
              + database.replaceAll("\\p{Cntrl}", "?")
              + "' is not accepted for a restore; use letters, digits, '_' and '-', at most 63,"
              + " not starting with a digit");
    }
    return database;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
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
        return withDatabase("postgres", work);
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
