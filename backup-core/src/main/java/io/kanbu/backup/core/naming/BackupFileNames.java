package io.kanbu.backup.core.naming;

import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * File names of backup objects. They keep the original Kanbu scheme ({@code kanbu_backup_<time>})
 * made unique by the first 8 hex digits of the backup id, and end in what the file is: {@code
 * kanbu_backup_2026-01-31T02-00-00_1a2b3c4d.sql.gz} ({@code .sql.zst} with zstd, {@code .sql}
 * without compression, {@code .tar…} for a source archive, then {@code .enc} when encrypted).
 */
public final class BackupFileNames {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);

  /** Suffix of encrypted backup files, after the compression suffix (as the original Kanbu). */
  public static final String ENCRYPTED_SUFFIX = ".enc";

  private BackupFileNames() {}

  /** {@code kanbu_backup_<UTC yyyy-MM-dd'T'HH-mm-ss>_<short id>.sql.gz}. */
  public static String database(Instant time, UUID backupId) {
    return database(time, backupId, CompressionFormat.GZIP, false);
  }

  /** {@link #database} of a gzip dump, with {@code .enc} when {@code encrypted}. */
  public static String database(Instant time, UUID backupId, boolean encrypted) {
    return database(time, backupId, CompressionFormat.GZIP, encrypted);
  }

  /** {@code kanbu_backup_<time>_<short id>.sql<format's suffix>[.enc]}. */
  public static String database(
      Instant time, UUID backupId, CompressionFormat format, boolean encrypted) {
    return name("kanbu_backup_", ".sql", time, backupId, format, encrypted);
  }

  /** {@code kanbu_source_<UTC yyyy-MM-dd'T'HH-mm-ss>_<short id>.tar.gz}. */
  public static String source(Instant time, UUID backupId) {
    return source(time, backupId, CompressionFormat.GZIP, false);
  }

  /** {@link #source} of a gzip archive, with {@code .enc} when {@code encrypted}. */
  public static String source(Instant time, UUID backupId, boolean encrypted) {
    return source(time, backupId, CompressionFormat.GZIP, encrypted);
  }

  /** {@code kanbu_source_<time>_<short id>.tar<format's suffix>[.enc]}. */
  public static String source(
      Instant time, UUID backupId, CompressionFormat format, boolean encrypted) {
    return name("kanbu_source_", ".tar", time, backupId, format, encrypted);
  }

  private static String name(
      String prefix,
      String extension,
      Instant time,
      UUID backupId,
      CompressionFormat format,
      boolean encrypted) {
    return prefix
        + TIME.format(time)
        + "_"
        + shortId(backupId)
        + extension
        + format.suffix()
        + (encrypted ? ENCRYPTED_SUFFIX : "");
  }

  /** The first 8 hex digits of the id. */
  public static String shortId(UUID id) {
    return id.toString().substring(0, 8);
  }
}
