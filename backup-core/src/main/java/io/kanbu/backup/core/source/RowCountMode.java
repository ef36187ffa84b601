package io.kanbu.backup.core.source;

import java.util.Locale;

/**
 * How a database backup counts the rows of each table for its manifest ({@code BACKUP_ROW_COUNTS}).
 */
public enum RowCountMode {
  /**
   * The rows of every table as the dump holds them, counted from its {@code COPY} blocks while it
   * streams ({@link CopyRowCounter}): exact, no second read of the tables, in every PostgreSQL
   * mode.
   */
  EXACT,
  /** {@code pg_class.reltuples}: free, as fresh as the last ANALYZE. */
  ESTIMATE,
  /** No counts. */
  OFF;

  /** The lowercase name used in settings and manifests. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a setting value.
   *
   * @throws IllegalArgumentException naming {@code setting} and the accepted values
   */
  public static RowCountMode parse(String value, String setting) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting + " is '" + value + "'; set it to exact, estimate or off", e);
    }
  }
}
