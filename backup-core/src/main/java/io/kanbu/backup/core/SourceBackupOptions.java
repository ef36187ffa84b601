package io.kanbu.backup.core;

import io.kanbu.backup.core.pipeline.BackupPipeline;
import java.util.List;

/**
 * How to run one source backup.
 *
 * @param targetName the target's name, for messages
 * @param pathSetting the setting holding the tree's path (e.g. {@code KANBU_SOURCE_PATH}), so
 *     messages can say what to fix
 * @param exclude extra exclusion globs (gitignore syntax), after the defaults and {@code
 *     .backupignore}
 * @param include globs re-included after every exclusion
 * @param gzipLevel 1-9
 * @param bufferSize pipeline buffer size in bytes
 */
public record SourceBackupOptions(
    String targetName,
    String pathSetting,
    List<String> exclude,
    List<String> include,
    int gzipLevel,
    int bufferSize) {

  public SourceBackupOptions {
    exclude = List.copyOf(exclude);
    include = List.copyOf(include);
    if (gzipLevel < 1 || gzipLevel > 9) {
      throw new PermanentBackupException(
          "gzip level " + gzipLevel + " is outside 1-9; check BACKUP_COMPRESSION_LEVEL");
    }
  }

  /** No extra rules, level 6, 1 MiB buffers. */
  public static SourceBackupOptions of(String targetName, String pathSetting) {
    return new SourceBackupOptions(
        targetName, pathSetting, List.of(), List.of(), 6, BackupPipeline.DEFAULT_BUFFER_SIZE);
  }
}
