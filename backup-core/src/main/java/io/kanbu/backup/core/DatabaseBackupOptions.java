package io.kanbu.backup.core;

import io.kanbu.backup.core.pipeline.BackupPipeline;

/**
 * How to run one database backup.
 *
 * @param targetName the target's name, for messages
 * @param urlSetting the setting holding its connection URL (e.g. {@code DATABASE_URL}), so messages
 *     can say what to fix
 * @param gzipLevel 1-9
 * @param bufferSize pipeline buffer size in bytes
 */
public record DatabaseBackupOptions(
    String targetName, String urlSetting, int gzipLevel, int bufferSize) {

  public DatabaseBackupOptions {
    if (gzipLevel < 1 || gzipLevel > 9) {
      throw new PermanentBackupException(
          "gzip level " + gzipLevel + " is outside 1-9; check BACKUP_COMPRESSION_LEVEL");
    }
  }

  /** Level 6 (gzip's default) and 1 MiB buffers. */
  public static DatabaseBackupOptions of(String targetName, String urlSetting) {
    return new DatabaseBackupOptions(targetName, urlSetting, 6, BackupPipeline.DEFAULT_BUFFER_SIZE);
  }

  public DatabaseBackupOptions withGzipLevel(int level) {
    return new DatabaseBackupOptions(targetName, urlSetting, level, bufferSize);
  }
}
