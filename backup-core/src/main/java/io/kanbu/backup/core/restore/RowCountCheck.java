package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.manifest.BackupManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The row-count comparison with the manifest, as SQL that the restore appends after the dump: it
 * runs inside the restore's single transaction, so a mismatch raises an error, psql stops, and the
 * transaction rolls back. The target is never left with a restore that does not match its backup.
 *
 * <p>Only {@code exact} manifests are compared: estimates ({@code pg_class.reltuples}) are not
 * counts.
 */
final class RowCountCheck {

  /** The start of the error message the check raises; psql prints it on standard error. */
  static final String ERROR_PREFIX = "kanbu-restore: row counts differ from the manifest:";

  private static final String TAG = "$kanbu_rowcheck$";

  private RowCountCheck() {}

  /**
   * The check for a manifest's exact counts, or empty when there is nothing to compare (no
   * manifest, counts off or estimated, no tables).
   */
  static Optional<byte[]> sqlFor(BackupManifest.RowCounts counts) {
    if (!counts.mode().equals("exact") || counts.tables().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(sql(counts.tables()).getBytes(StandardCharsets.UTF_8));
  }

  static String sql(List<BackupManifest.TableRows> tables) {
    StringBuilder values = new StringBuilder();
    for (BackupManifest.TableRows t : tables) {
      if (!values.isEmpty()) {
        values.append(",\n    ");
      }
      values
          .append("(")
          .append(literal(t.schema()))
          .append(", ")
          .append(literal(t.table()))
          .append(", ")
          .append(t.rows())
          .append("::bigint)");
    }
    // pg_dump sets search_path to '' and its own client_encoding: qualify every name, and say
    // that this text is UTF-8 (table names may not be ASCII)
    return """

        SET client_encoding = 'UTF8';
        DO %1$s
        DECLARE
          expected record;
          actual bigint;
          differences text := '';
        BEGIN
          FOR expected IN SELECT * FROM (VALUES
            %2$s) AS t(schema_name, table_name, row_count) LOOP
            IF pg_catalog.to_regclass(pg_catalog.quote_ident(expected.schema_name) || '.'
                || pg_catalog.quote_ident(expected.table_name)) IS NULL THEN
              differences := differences || pg_catalog.format('%%s.%%s: missing, the manifest has %%s rows; ',
                  expected.schema_name, expected.table_name, expected.row_count);
            ELSE
              EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %%I.%%I',
                  expected.schema_name, expected.table_name) INTO actual;
              IF actual <> expected.row_count THEN
                differences := differences || pg_catalog.format('%%s.%%s: %%s rows restored, the manifest has %%s; ',
                    expected.schema_name, expected.table_name, actual, expected.row_count);
              END IF;
            END IF;
          END LOOP;
          IF differences <> '' THEN
            RAISE EXCEPTION '%3$s %%', differences;
          END IF;
        END
        %1$s;
        """
        .formatted(TAG, values, ERROR_PREFIX);
  }

  /** A standard SQL string literal ({@code standard_conforming_strings} is on in a dump). */
  private static String literal(String text) {
    if (text.contains(TAG)) {
      // cannot happen for a real table name, but must not end the dollar quote early
      throw new IllegalArgumentException("name '" + text + "' contains " + TAG);
    }
    return "'" + text.replace("'", "''") + "'";
  }
}
