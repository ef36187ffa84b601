package io.kanbu.backup.core.inventory;

import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Recognises backup files by name: ours ({@code kanbu_backup_<time>_<short id>.sql.gz[.enc]}, with
 * {@code .sql.zst} or {@code .sql} by compression, {@code kanbu_source_…} with {@code .tar…}) and
 * the original Kanbu's ({@code kanbu_backup_<time>.sql.gz[.enc]}, {@code .sql}, {@code
 * kanbu_source_<time>.tar.gz[.enc]}), where {@code <time>} is {@code yyyy-MM-dd'T'HH-mm-ss}.
 */
public final class LegacyFileName {

  private static final Pattern NAME =
      Pattern.compile(
          "kanbu_(backup|source)_(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2})(_[0-9a-f]{8})?"
              + "\\.(sql|tar)(\\.gz|\\.zst)?(\\.enc)?");
  private static final Pattern TARGET_DIRECTORY =
      Pattern.compile("([a-z0-9][a-z0-9_-]{0,62})/(database|source)/[^/]+");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");

  private LegacyFileName() {}

  /**
   * What a file name says.
   *
   * @param target the target directory the object is under, or {@code default} for a file at the
   *     storage's root (where the original Kanbu kept them)
   * @param database a database dump (else a source archive)
   * @param createdAt the time in the name, read as UTC (the original wrote UTC), or null when it is
   *     not a valid date
   * @param compression what the extension says: {@code .gz} gzip, {@code .zst} zstd, neither none
   * @param encrypted ends with {@code .enc}
   * @param ours written by this system (has the short backup id), so it must have a manifest
   */
  public record Parsed(
      String target,
      boolean database,
      @Nullable Instant createdAt,
      CompressionFormat compression,
      boolean encrypted,
      boolean ours) {}

  /** The name's meaning, or null when the key is not a backup file. */
  public static @Nullable Parsed parse(String key) {
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    Matcher name = NAME.matcher(fileName);
    if (!name.matches()) {
      return null;
    }
    boolean database = name.group(1).equals("backup");
    String extension = name.group(4);
    if (database != extension.equals("sql")) {
      return null; // a dump named like an archive or the reverse: not ours to interpret
    }
    Matcher directory = TARGET_DIRECTORY.matcher(key);
    String target = directory.matches() ? directory.group(1) : "default";
    Instant createdAt;
    try {
      createdAt = LocalDateTime.parse(name.group(2), TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      createdAt = null;
    }
    return new Parsed(
        target,
        database,
        createdAt,
        CompressionFormat.ofFileName(fileName).orElseThrow(),
        name.group(6) != null,
        name.group(3) != null);
  }
}
