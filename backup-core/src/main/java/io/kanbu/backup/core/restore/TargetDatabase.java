package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.source.LibpqClient;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a restore asks of the target's server: its version, the psql to restore with and how to
 * start it, whether a database exists or is empty, who is connected, creating and dropping a
 * database, and {@code ANALYZE}. Two ways in: {@link JdbcTargetDatabase} over the network (direct
 * mode) and {@link DockerTargetDatabase} through {@code docker exec -i} into the server's container
 * (docker mode). Both act as the target's configured user; server-wide statements go through the
 * configured database, or {@code postgres} when that one does not exist (yet: the restore may be
 * about to create it).
 *
 * <p>Every method may throw a {@link io.kanbu.backup.core.BackupException} that names the target
 * and says what to check; none changes anything but what its name says.
 */
public interface TargetDatabase {

  /** Database names a restore accepts: a plain identifier, so messages and SQL stay simple. */
  Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

  /** Another session on a database. */
  record Session(int pid, @Nullable String user, @Nullable String application) {

    /** True if one of our own backups or restores opened it (by its application name). */
    public boolean ours() {
      return LibpqClient.BACKUP_APPLICATION.equals(application)
          || LibpqClient.RESTORE_APPLICATION.equals(application);
    }

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
  record Settings(String encoding, String collate, String ctype) {}

  /** The server's version. */
  PgVersion serverVersion();

  /**
   * The psql that restores into this server: one at least as new as the server.
   *
   * @param locator where direct mode finds psql on this machine
   * @throws io.kanbu.backup.core.BackupException saying why none suits
   */
  PgTool psql(PgToolLocator locator, PgVersion server);

  /**
   * A process running {@code psql} with {@code options} on {@code database}, not started. The
   * password, if any, is in its environment only, never in its arguments.
   */
  ProcessBuilder psqlProcess(PgTool psql, String database, List<String> options);

  boolean exists(String database);

  /** The database's encoding and locale, if it exists. */
  @Nullable Settings settingsOf(String database);

  /** True if the database has no user tables, views, sequences or foreign tables. */
  boolean isEmpty(String database);

  /** The other sessions connected to the database (not the one asking). */
  List<Session> otherSessions(String database);

  /**
   * Ends every other session on the database ({@code pg_terminate_backend}).
   *
   * @return how many were ended
   */
  int terminateSessions(String database);

  /**
   * {@code CREATE DATABASE} from {@code template0}, with the given encoding and locale when known.
   */
  void create(String database, @Nullable Settings like);

  /** {@code ANALYZE} of the whole database, so the planner knows the restored data. */
  void analyze(String database);

  /** Drops the database, ending its sessions ({@code WITH (FORCE)}, PostgreSQL 13 and newer). */
  void dropIfExists(String database);

  /** Rejects names outside {@link #DATABASE_NAME}. */
  static String requireName(String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new PermanentBackupException(
          "database name '"
              + database.replaceAll("\\p{Cntrl}", "?")
              + "' is not accepted for a restore; use letters, digits, '_' and '-', at most 63,"
              + " not starting with a digit");
    }
    return database;
  }
}
