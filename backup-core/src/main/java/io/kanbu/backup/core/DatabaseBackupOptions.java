package io.kanbu.backup.core;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.source.RowCountMode;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How to run one database backup.
 *
 * @param targetName the target's name, for messages
 * @param urlSetting the setting holding its connection URL (e.g. {@code DATABASE_URL}), so messages
 *     can say what to fix
 * @param compression gzip level and threads
 * @param bufferSize pipeline buffer size in bytes
 * @param backupId the new backup's id (encryption associated data, manifest)
 * @param jobId the job that makes it (manifest)
 * @param encryption encrypts the backup when non-null; it must have a primary key
 * @param rowCounts how the manifest counts table rows
 * @param toolVersion the version written into the manifest
 */
public record DatabaseBackupOptions(
    String targetName,
    String urlSetting,
    Compression compression,
    int bufferSize,
    UUID backupId,
    UUID jobId,
    @Nullable EnvelopeEncryption encryption,
    RowCountMode rowCounts,
    String toolVersion) {

  public DatabaseBackupOptions {
    if (encryption != null && !encryption.canEncrypt()) {
      throw new PermanentBackupException(
          "encryption was requested but the keyring has no primary key; set BACKUP_ENCRYPTION_KEY");
    }
  }

  /**
   * gzip level 6 (gzip's default) on every core, 1 MiB buffers, fresh ids, no encryption, exact row
   * counts.
   */
  public static DatabaseBackupOptions of(String targetName, String urlSetting) {
    return new DatabaseBackupOptions(
        targetName,
        urlSetting,
        Compression.gzip(6),
        BackupPipeline.DEFAULT_BUFFER_SIZE,
        UUID.randomUUID(),
        UUID.randomUUID(),
        null,
        RowCountMode.EXACT,
        ToolVersion.current());
  }

  public DatabaseBackupOptions withCompression(Compression with) {
    return new DatabaseBackupOptions(
        targetName,
        urlSetting,
        with,
        bufferSize,
        backupId,
        jobId,
        encryption,
        rowCounts,
        toolVersion);
  }

  public DatabaseBackupOptions withIds(UUID backup, UUID job) {
    return new DatabaseBackupOptions(
        targetName,
        urlSetting,
        compression,
        bufferSize,
        backup,
        job,
        encryption,
        rowCounts,
        toolVersion);
  }

  public DatabaseBackupOptions withEncryption(@Nullable EnvelopeEncryption with) {
    return new DatabaseBackupOptions(
        targetName,
        urlSetting,
        compression,
        bufferSize,
        backupId,
        jobId,
        with,
        rowCounts,
        toolVersion);
  }

  public DatabaseBackupOptions withRowCounts(RowCountMode mode) {
    return new DatabaseBackupOptions(
        targetName,
        urlSetting,
        compression,
        bufferSize,
        backupId,
        jobId,
        encryption,
        mode,
        toolVersion);
  }
}
