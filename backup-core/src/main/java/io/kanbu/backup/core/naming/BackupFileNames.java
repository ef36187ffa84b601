package io.kanbu.backup.core.naming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * File names of backup objects. They keep the original Kanbu scheme ({@code kanbu_backup_<time>})
 * made unique by the first 8 hex digits of the backup id: {@code
 * kanbu_backup_2026-01-31T02-00-00_1a2b3c4d.sql.gz}.
 */
public final class BackupFileNames {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);

  private BackupFileNames() {}

  /** {@code kanbu_backup_<UTC yyyy-MM-dd'T'HH-mm-ss>_<short id>.sql.gz}. */
  public static String database(Instant time, UUID backupId) {
    return "kanbu_backup_" + TIME.format(time) + "_" + shortId(backupId) + ".sql.gz";
  }

  /** Suffix of encrypted backup files, after the compression suffix (as the original Kanbu). */
  public static final String ENCRYPTED_SUFFIX = ".enc";

  /** {@link #database} with {@code .enc} when {@code encrypted}. */
  public static String database(Instant time, UUID backupId, boolean encrypted) {
    return database(time, backupId) + (encrypted ? ENCRYPTED_SUFFIX : "");
  }

  /** {@code kanbu_source_<UTC yyyy-MM-dd'T'HH-mm-ss>_<short id>.tar.gz}. */
  public static String source(Instant time, UUID backupId) {
    return "kanbu_source_" + TIME.format(time) + "_" + shortId(backupId) + ".tar.gz";
  }

  /** {@link #source} with {@code .enc} when {@code encrypted}. */
  public static String source(Instant time, UUID backupId, boolean encrypted) {
    return source(time, backupId) + (encrypted ? ENCRYPTED_SUFFIX : "");
  }

  /** The first 8 hex digits of the id. */
  public static String shortId(UUID id) {
    return id.toString().substring(0, 8);
  }
}
