package io.kanbu.backup.core;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.PipelineResult;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a finished backup produced, for the catalog and the completion event.
 *
 * @param storageName the backend's name
 * @param objectKey the key of the stored object
 * @param fileName the object's file name (last key segment)
 * @param pipeline sizes and digests
 * @param serverVersion the database server's version, e.g. {@code 15.20}
 * @param pgDumpVersion the pg_dump's version, e.g. {@code 15.20}
 * @param startedAt when the backup started
 * @param finishedAt when the object became visible
 * @param keyId the key that wrapped the data key, null when not encrypted
 * @param manifestKey the manifest's object key
 * @param manifest the manifest as stored
 */
public record BackupOutcome(
    String storageName,
    String objectKey,
    String fileName,
    PipelineResult pipeline,
    String serverVersion,
    String pgDumpVersion,
    Instant startedAt,
    Instant finishedAt,
    @Nullable String keyId,
    String manifestKey,
    BackupManifest manifest) {

  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  public boolean encrypted() {
    return keyId != null;
  }
}
