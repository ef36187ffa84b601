package io.kanbu.backup.core;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.source.tar.ArchiveReport;
import io.kanbu.backup.core.source.tar.GitState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a finished source backup produced.
 *
 * @param storageName the backend's name
 * @param objectKey the key of the stored object
 * @param fileName the object's file name (last key segment)
 * @param pipeline sizes and digests
 * @param archive what the tar holds and what went wrong per path
 * @param git the work tree's commit and cleanliness, or null if the tree is not a git work tree or
 *     git could not tell (then {@link #warnings()} says why)
 * @param warnings every problem that did not stop the backup, each naming its path
 * @param startedAt when the backup started
 * @param finishedAt when the object became visible
 * @param keyId the key that wrapped the data key, null when not encrypted
 * @param manifestKey the manifest's object key
 * @param manifest the manifest as stored
 */
public record SourceBackupOutcome(
    String storageName,
    String objectKey,
    String fileName,
    PipelineResult pipeline,
    ArchiveReport archive,
    @Nullable GitState git,
    List<String> warnings,
    Instant startedAt,
    Instant finishedAt,
    @Nullable String keyId,
    String manifestKey,
    BackupManifest manifest) {

  public SourceBackupOutcome {
    warnings = List.copyOf(warnings);
  }

  public boolean encrypted() {
    return keyId != null;
  }

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }
}
