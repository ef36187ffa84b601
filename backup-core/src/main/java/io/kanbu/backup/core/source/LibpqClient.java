package io.kanbu.backup.core.source;

import java.util.List;
import java.util.Map;

/**
 * How a PostgreSQL client program (pg_dump, psql) is told where to connect: its connection
 * arguments, and an environment from which inherited variables that would silently change the
 * connection are removed and to which the URL's libpq parameters (TLS, timeouts, application name)
 * are added as their {@code PG*} variables. No password is set here; each caller passes it its own
 * way, never in an argument.
 */
public final class LibpqClient {

  /**
   * The {@code application_name} of the connections a backup opens (pg_dump's, JDBC's, and in
   * docker mode every client program's), unless the URL sets one.
   */
  public static final String BACKUP_APPLICATION = "kanbu-backup";

  /** The {@code application_name} of a restore's psql (direct mode), unless the URL sets one. */
  public static final String RESTORE_APPLICATION = "kanbu-restore";

  /** libpq URL parameters that a client program receives through the environment. */
  private static final Map<String, String> PARAM_ENV =
      Map.of(
          "sslmode", "PGSSLMODE",
          "sslrootcert", "PGSSLROOTCERT",
          "sslcert", "PGSSLCERT",
          "sslkey", "PGSSLKEY",
          "sslcrl", "PGSSLCRL",
          "connect_timeout", "PGCONNECT_TIMEOUT",
          "application_name", "PGAPPNAME",
          "options", "PGOPTIONS",
          "target_session_attrs", "PGTARGETSESSIONATTRS");

  /** Inherited variables that would silently change what the program connects to. */
  private static final List<String> SCRUBBED_ENV =
      List.of(
          "PGPASSWORD",
          "PGPASSFILE",
          "PGHOST",
          "PGHOSTADDR",
          "PGPORT",
          "PGDATABASE",
          "PGUSER",
          "PGSERVICE",
          "PGSERVICEFILE",
          "PGSSLMODE",
          "PGOPTIONS");

  private LibpqClient() {}

  /**
   * {@code -h host -p port -U user -d database}. A database name that the program would read as a
   * connection string (it contains {@code =} or starts like a URI) is passed as {@code dbname='…'}.
   */
  public static List<String> connectionArguments(DatabaseConnection connection) {
    String db = connection.database();
    boolean looksLikeConninfo = db.contains("=") || db.startsWith("postgres");
    return List.of(
        "-h",
        connection.host(),
        "-p",
        Integer.toString(connection.port()),
        "-U",
        connection.user(),
        "-d",
        looksLikeConninfo ? "dbname='" + db.replace("\\", "\\\\").replace("'", "\\'") + "'" : db);
  }

  /** Removes the inherited connection variables from {@code env}. */
  public static void scrubEnvironment(Map<String, String> env) {
    SCRUBBED_ENV.forEach(env::remove);
  }

  /**
   * Scrubs {@code env}, then sets the connection's parameters, a connect timeout and an application
   * name (unless the URL set them).
   */
  public static void prepareEnvironment(
      Map<String, String> env,
      DatabaseConnection connection,
      int connectTimeoutSeconds,
      String applicationName) {
    scrubEnvironment(env);
    connection
        .params()
        .forEach(
            (k, v) -> {
              String var = PARAM_ENV.get(k);
              if (var != null) {
                env.put(var, v);
              }
            });
    env.putIfAbsent("PGCONNECT_TIMEOUT", Integer.toString(connectTimeoutSeconds));
    env.putIfAbsent("PGAPPNAME", applicationName);
  }
}
