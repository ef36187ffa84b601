package io.kanbu.backup.core.restore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * SQL that the restore sends before the dump, inside the same transaction: it drops every user
 * schema, extension (except {@code plpgsql}) and every table, view, sequence, routine and type of
 * {@code public}. A {@code pg_dump --clean} dump drops only what it contains, so without this an
 * object created after the backup would survive the restore, or block it (a new table in a dumped
 * schema makes its {@code DROP SCHEMA} fail). A failed restore rolls the wipe back with the rest.
 *
 * <p>The wipe takes every lock the restore needs on existing objects, so it waits at most {@link
 * #LOCK_TIMEOUT} (by default) for a session that connected after the pre-flight and holds one: the
 * restore then fails and rolls back instead of hanging (the dump that follows resets the timeout).
 */
final class DatabaseWipe {

  private DatabaseWipe() {}

  /** How long the wipe waits for a lock another session holds, unless told otherwise. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

  // The lists are read into arrays before the first DROP: a FOR loop's cursor would read the
  // catalog while it changes.
  private static final String SQL =
      """
      SET client_min_messages = warning;
      SET client_encoding = 'UTF8';
      DO $kanbu_wipe$
      DECLARE
        item text;
      BEGIN
        FOREACH item IN ARRAY coalesce((SELECT pg_catalog.array_agg(pg_catalog.quote_ident(extname))
            FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'), '{}') LOOP
          EXECUTE 'DROP EXTENSION IF EXISTS ' || item || ' CASCADE';
        END LOOP;
        FOREACH item IN ARRAY coalesce((SELECT pg_catalog.array_agg(pg_catalog.quote_ident(nspname))
            FROM pg_catalog.pg_namespace
            WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema')
              AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'), '{}') LOOP
          EXECUTE 'DROP SCHEMA IF EXISTS ' || item || ' CASCADE';
        END LOOP;
        FOREACH item IN ARRAY coalesce((SELECT pg_catalog.array_agg(
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END
              || ' IF EXISTS public.' || pg_catalog.quote_ident(c.relname))
            FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'public'::pg_catalog.regnamespace
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')), '{}') LOOP
          EXECUTE 'DROP ' || item || ' CASCADE';
        END LOOP;
        FOREACH item IN ARRAY coalesce((SELECT pg_catalog.array_agg(
              CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END
              || ' IF EXISTS public.' || pg_catalog.quote_ident(p.proname)
              || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')')
            FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'public'::pg_catalog.regnamespace), '{}') LOOP
          EXECUTE 'DROP ' || item || ' CASCADE';
        END LOOP;
        FOREACH item IN ARRAY coalesce((SELECT pg_catalog.array_agg(
              CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END
              || ' IF EXISTS public.' || pg_catalog.quote_ident(t.typname))
            FROM pg_catalog.pg_type t
            WHERE t.typnamespace = 'public'::pg_catalog.regnamespace
              AND (t.typtype IN ('e', 'd', 'r')
                OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c
                                          WHERE c.oid = t.typrelid) = 'c'))), '{}') LOOP
          EXECUTE 'DROP ' || item || ' CASCADE';
        END LOOP;
      END
      $kanbu_wipe$;
      """;

  /** The wipe, waiting at most {@code lockTimeout} for each lock. */
  static byte[] sql(Duration lockTimeout) {
    String timeout = "SET lock_timeout = '" + lockTimeout.toMillis() + "ms';\n";
    return (timeout + SQL).getBytes(StandardCharsets.UTF_8);
  }
}
