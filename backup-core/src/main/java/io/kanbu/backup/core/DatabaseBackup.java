package io.kanbu.backup.core;

import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.PipelineStage;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgDumpSource;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backs up one PostgreSQL database into a storage backend: checks the server, picks a suitable
 * pg_dump, and streams its output through the {@link BackupPipeline} into {@link
 * StorageBackend#put}. On any failure nothing is left in storage.
 */
public final class DatabaseBackup {

  private final PgToolLocator locator;
  private final Clock clock;

  public DatabaseBackup(PgToolLocator locator, Clock clock) {
    this.locator = locator;
    this.clock = clock;
  }

  /**
   * Runs the backup.
   *
   * @param objectKey where to store the dump; its last segment is the file name
   * @throws BackupException permanent or transient, with a message saying what to do
   */
  public BackupOutcome backup(
      DatabaseConnection conn,
      StorageBackend storage,
      String objectKey,
      DatabaseBackupOptions options) {
    Instant started = clock.instant();
    PgVersion server =
        PgDumpSource.queryServerVersion(conn, options.targetName(), options.urlSetting());
    PgTool pgDump = locator.locate("pg_dump", server);
    PgDumpSource source =
        new PgDumpSource(conn, pgDump, options.targetName(), options.urlSetting(), server);
    BackupPipeline pipeline =
        new BackupPipeline(options.gzipLevel(), PipelineStage.identity(), options.bufferSize());
    AtomicReference<PipelineResult> result = new AtomicReference<>();
    StoredObject stored =
        storage.put(objectKey, out -> source.dump(in -> result.set(pipeline.run(in, out))));
    PipelineResult pipelineResult = result.get();
    if (pipelineResult == null) {
      // put returned, so the writer returned normally, so the pipeline ran
      throw new IllegalStateException("pipeline produced no result for '" + objectKey + "'");
    }
    if (stored.size() != pipelineResult.storedBytes()) {
      storage.delete(objectKey);
      throw new TransientBackupException(
          "object '"
              + objectKey
              + "' in storage '"
              + storage.name()
              + "' has "
              + stored.size()
              + " bytes but the pipeline wrote "
              + pipelineResult.storedBytes()
              + "; it was removed, retry the backup");
    }
    String fileName = objectKey.substring(objectKey.lastIndexOf('/') + 1);
    return new BackupOutcome(
        storage.name(),
        objectKey,
        fileName,
        pipelineResult,
        server.display(),
        pgDump.version().display(),
        started,
        clock.instant());
  }
}
