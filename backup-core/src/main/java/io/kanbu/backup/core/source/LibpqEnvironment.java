package io.kanbu.backup.core.source;

import java.util.List;
import java.util.Map;

/**
 * The environment a PostgreSQL client program (pg_dump, psql) is started with: inherited variables
 * that would silently change what it connects to are removed, and the connection's libpq URL
 * parameters (TLS, timeouts, application name) are passed as their {@code PG*} variables. No
 * password is set here; each caller passes it its own way.
 */
public final class LibpqEnvironment {

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

  private LibpqEnvironment() {}

  /** Removes the inherited connection variables from {@code env}. */
  public static void scrub(Map<String, String> env) {
    SCRUBBED_ENV.forEach(env::remove);
  }

  /**
   * Scrubs {@code env}, then sets the connection's parameters, a connect timeout and an application
   * name (unless the URL set them).
   */
  public static void prepare(
      Map<String, String> env,
      DatabaseConnection connection,
      int connectTimeoutSeconds,
      String applicationName) {
    scrub(env);
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
