package io.kanbu.backup.core.restore;

import org.jspecify.annotations.Nullable;

/**
 * The statements both kinds of {@link TargetDatabase} send. Those with a {@code %s} take the
 * database name there: a JDBC parameter ({@code ?}) or, for psql, {@link #literal}.
 */
final class TargetSql {

  static final String EXISTS = "SELECT 1 FROM pg_database WHERE datname = %s";

  static final String SETTINGS =
      "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
          + " WHERE datname = %s";

  /** Run in the database itself: how many user relations it has. */
  static final String USER_RELATIONS =
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
          + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

  static final String OTHER_SESSIONS =
      "SELECT pid, usename, application_name FROM pg_stat_activity"
          + " WHERE datname = %s AND pid <> pg_backend_pid() ORDER BY pid";

  static final String TERMINATE_SESSIONS =
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE datname = %s AND pid <> pg_backend_pid()";

  /** The maintenance database server-wide statements fall back to. */
  static final String MAINTENANCE_DATABASE = "postgres";

  private TargetSql() {}

  static String create(String database, TargetDatabase.@Nullable Settings like) {
    StringBuilder sql =
        new StringBuilder("CREATE DATABASE ")
            .append(quote(TargetDatabase.requireName(database)))
            .append(" TEMPLATE template0");
    if (like != null) {
      sql.append(" ENCODING ")
          .append(literal(like.encoding()))
          .append(" LC_COLLATE ")
          .append(literal(like.collate()))
          .append(" LC_CTYPE ")
          .append(literal(like.ctype()));
    }
    return sql.toString();
  }

  static String dropIfExists(String database) {
    return "DROP DATABASE IF EXISTS "
        + quote(TargetDatabase.requireName(database))
        + " WITH (FORCE)";
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A standard SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
