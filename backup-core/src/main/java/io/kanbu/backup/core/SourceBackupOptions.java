package io.kanbu.backup.core;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.Compression;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How to run one source backup.
 *
 * @param targetName the target's name, for messages
 * @param pathSetting the setting holding the tree's path (e.g. {@code KANBU_SOURCE_PATH}), so
 *     messages can say what to fix
 * @param exclude extra exclusion globs (gitignore syntax), after the defaults and {@code
 *     .backupignore}
 * @param include globs re-included after every exclusion
 * @param compression gzip level and threads
 * @param bufferSize pipeline buffer size in bytes
 * @param backupId the new backup's id (encryption associated data, manifest)
 * @param jobId the job that makes it (manifest)
 * @param encryption encrypts the backup when non-null; it must have a primary key
 * @param toolVersion the version written into the manifest
 */
public record SourceBackupOptions(
    String targetName,
    String pathSetting,
    List<String> exclude,
    List<String> include,
    Compression compression,
    int bufferSize,
    UUID backupId,
    UUID jobId,
    @Nullable EnvelopeEncryption encryption,
    String toolVersion) {

  public SourceBackupOptions {
    exclude = List.copyOf(exclude);
    include = List.copyOf(include);
    if (encryption != null && !encryption.canEncrypt()) {
      throw new PermanentBackupException(
          "encryption was requested but the keyring has no primary key; set BACKUP_ENCRYPTION_KEY");
    }
  }

  /** These rules and settings, fresh ids, no encryption. */
  public SourceBackupOptions(
      String targetName,
      String pathSetting,
      List<String> exclude,
      List<String> include,
      Compression compression,
      int bufferSize) {
    this(
        targetName,
        pathSetting,
        exclude,
        include,
        compression,
        bufferSize,
        UUID.randomUUID(),
        UUID.randomUUID(),
        null,
        ToolVersion.current());
  }

  /** No extra rules, gzip level 6 on every core, 1 MiB buffers, fresh ids, no encryption. */
  public static SourceBackupOptions of(String targetName, String pathSetting) {
    return new SourceBackupOptions(
        targetName,
        pathSetting,
        List.of(),
        List.of(),
        Compression.gzip(6),
        BackupPipeline.DEFAULT_BUFFER_SIZE);
  }

  public SourceBackupOptions withIds(UUID backup, UUID job) {
    return new SourceBackupOptions(
        targetName,
        pathSetting,
        exclude,
        include,
        compression,
        bufferSize,
        backup,
        job,
        encryption,
        toolVersion);
  }

  public SourceBackupOptions withCompression(Compression with) {
    return new SourceBackupOptions(
        targetName,
        pathSetting,
        exclude,
        include,
        with,
        bufferSize,
        backupId,
        jobId,
        encryption,
        toolVersion);
  }

  public SourceBackupOptions withEncryption(@Nullable EnvelopeEncryption with) {
    return new SourceBackupOptions(
        targetName,
        pathSetting,
        exclude,
        include,
        compression,
        bufferSize,
        backupId,
        jobId,
        with,
        toolVersion);
  }
}
