package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.source.CopyRowCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The row-count comparison with the manifest, made before the restore's single transaction may
 * commit. Tables whose COPY block passed through the restore are compared with the rows counted in
 * the stream ({@link CopyRowCounter}): a difference stops the restore before it commits, naming the
 * tables. Tables the stream did not load by name (a dump written differently) are counted by SQL
 * that the restore appends after the dump: it runs inside the transaction, so a mismatch raises an
 * error, psql stops and the transaction rolls back. The target is never left with a restore that
 * does not match its backup.
 *
 * <p>Only {@code exact} manifests are compared: estimates ({@code pg_class.reltuples}) are not
 * counts.
 */
final class RowCountCheck {

  /** The start of the error message of a mismatch, whichever way it was found. */
  static final String ERROR_PREFIX = "kanbu-restore: row counts differ from the manifest:";

  private static final String TAG = "$kanbu_rowcheck$";

  private final List<BackupManifest.TableRows> expected;

  private RowCountCheck(List<BackupManifest.TableRows> expected) {
    this.expected = expected;
  }

  /**
   * The check of a manifest's exact counts, or empty when there is nothing to compare (no manifest,
   * counts off or estimated, no tables).
   */
  static Optional<RowCountCheck> of(BackupManifest.@Nullable RowCounts counts) {
    if (counts == null || !counts.mode().equals("exact") || counts.tables().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RowCountCheck(counts.tables()));
  }

  /** How many tables the manifest counts. */
  int tables() {
    return expected.size();
  }

  /**
   * Compares the tables the stream loaded with the manifest.
   *
   * @return SQL that counts, inside the transaction, the tables the stream did not load by name;
   *     empty if it loaded them all
   * @throws RowCountMismatchException naming every table whose streamed rows differ
   */
  Optional<byte[]> compare(Map<CopyRowCounter.Table, Long> streamed, String what) {
    List<String> differences = new ArrayList<>();
    List<BackupManifest.TableRows> notStreamed = new ArrayList<>();
    for (BackupManifest.TableRows t : expected) {
      Long rows = streamed.get(new CopyRowCounter.Table(t.schema(), t.table()));
      if (rows == null) {
        notStreamed.add(t);
      } else if (rows != t.rows()) {
        differences.add(
            t.schema()
                + "."
                + t.table()
                + ": "
                + rows
                + " rows restored, the manifest has "
                + t.rows());
      }
    }
    if (!differences.isEmpty()) {
      String shown = ERROR_PREFIX + " " + String.join("; ", differences);
      throw new RowCountMismatchException(
          shown
              + " (restoring "
              + what
              + "); psql was stopped before it could commit, the database is unchanged",
          List.of(shown));
    }
    return notStreamed.isEmpty()
        ? Optional.empty()
        : Optional.of(sql(notStreamed).getBytes(StandardCharsets.UTF_8));
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
