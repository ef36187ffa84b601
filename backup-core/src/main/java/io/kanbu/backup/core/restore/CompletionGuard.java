package io.kanbu.backup.core.restore;

import java.nio.charset.StandardCharsets;

/**
 * Makes the commit of a restore depend on its last statement, not on the end of psql's input.
 * {@code psql -1} commits when its input ends; if this process died mid-stream, its end of the pipe
 * would close and psql would commit half a restore. So the restore's transaction starts with a
 * deferred constraint trigger that fails the {@code COMMIT} unless the {@link #END} statement, sent
 * only after the whole backup was read and checked, marked the restore complete.
 */
final class CompletionGuard {

  /** The start of the error the guard raises at an early end of input. */
  static final String ERROR_PREFIX =
      "kanbu-restore: the input ended before the restore was complete";

  private CompletionGuard() {}

  // temp objects: invisible to other sessions, gone with psql's session; pg_dump's search_path of
  // '' means every name is qualified
  private static final String START =
      """
      CREATE TEMPORARY TABLE kanbu_restore_end (complete boolean NOT NULL);
      CREATE FUNCTION pg_temp.kanbu_restore_end_check() RETURNS trigger LANGUAGE plpgsql AS $kanbu_guard$
      BEGIN
        IF NOT (SELECT pg_catalog.bool_and(complete) FROM pg_temp.kanbu_restore_end) THEN
          RAISE EXCEPTION '%s; nothing was committed';
        END IF;
        RETURN NULL;
      END
      $kanbu_guard$;
      CREATE CONSTRAINT TRIGGER kanbu_restore_end_check AFTER INSERT ON pg_temp.kanbu_restore_end
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_temp.kanbu_restore_end_check();
      INSERT INTO pg_temp.kanbu_restore_end VALUES (false);
      """
          .formatted(ERROR_PREFIX);

  /** The last statement of a complete restore. */
  private static final String END = "\nUPDATE pg_temp.kanbu_restore_end SET complete = true;\n";

  /** Sent first, inside psql's single transaction. */
  static byte[] start() {
    return START.getBytes(StandardCharsets.UTF_8);
  }

  /** Sent last, once everything before it was read and checked. */
  static byte[] end() {
    return END.getBytes(StandardCharsets.UTF_8);
  }
}
