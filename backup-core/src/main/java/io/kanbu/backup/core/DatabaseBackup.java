package io.kanbu.backup.core;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.PipelineProgress;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.PipelineStage;
import io.kanbu.backup.core.pipeline.StreamingEncryptStage;
import io.kanbu.backup.core.source.CopyRowCounter;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgDumpSource;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.source.PostgresContainer;
import io.kanbu.backup.core.source.RowCountMode;
import io.kanbu.backup.core.source.TableRowCount;
import io.kanbu.backup.core.source.TableRowCounts;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Backs up one PostgreSQL database into a storage backend: checks the server, picks a suitable
 * pg_dump, and streams its output through the {@link BackupPipeline} into {@link
 * StorageBackend#put}. On any failure nothing is left in storage.
 */
public final class DatabaseBackup {

  private final PgToolLocator locator;
  private final Clock clock;
  private final PipelineProgress progress;

  public DatabaseBackup(PgToolLocator locator, Clock clock) {
    this(locator, clock, PipelineProgress.NONE);
  }

  /**
   * @param progress told of the dump's bytes as they are read
   */
  public DatabaseBackup(PgToolLocator locator, Clock clock, PipelineProgress progress) {
    this.locator = locator;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Runs the backup: pg_dump (its rows counted from the stream when row counts are exact) through
   * the pipeline into {@code objectKey}, then the manifest beside it ({@link
   * BackupManifest#keyFor}). The object is visible before its manifest; if the manifest cannot be
   * written the object is removed and the backup fails.
   *
   * @param objectKey where to store the dump; its last segment is the file name (with {@code .enc}
   *     when the options encrypt)
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
    return store(source, conn, server, pgDump, storage, objectKey, options, started);
  }

  /**
   * Runs the backup in docker mode: {@code docker exec -i <container> pg_dump …} (see {@link
   * PgDumpSource#viaDocker}). The server's and the container's pg_dump versions are read through
   * the container first.
   */
  public BackupOutcome backupViaDocker(
      PostgresContainer container,
      StorageBackend storage,
      String objectKey,
      DatabaseBackupOptions options) {
    Instant started = clock.instant();
    PgTool pgDump = container.tool("pg_dump");
    PgVersion server = container.serverVersion(container.login().database());
    PgDumpSource source = PgDumpSource.viaDocker(container, pgDump, options.targetName(), server);
    // the host and port are not reachable from here, so there is no SQL connection: exact counts
    // (from the dump) work, estimates are recorded as off
    return store(source, null, server, pgDump, storage, objectKey, options, started);
  }

  /**
   * The shared tail of both modes: pg_dump through the pipeline (gzip, then encryption when the
   * options encrypt) into {@code objectKey}, then the manifest beside it.
   *
   * @param jdbc a connection for row estimates; null in docker mode, where the manifest records
   *     estimates as {@code off}
   */
  private BackupOutcome store(
      PgDumpSource source,
      @Nullable DatabaseConnection jdbc,
      PgVersion server,
      PgTool pgDump,
      StorageBackend storage,
      String objectKey,
      DatabaseBackupOptions options,
      Instant started) {
    EnvelopeEncryption encryption = options.encryption();
    PipelineStage encrypt =
        encryption == null
            ? PipelineStage.identity()
            : new StreamingEncryptStage(encryption, options.backupId());
    String keyId = encryption == null ? null : encryption.primaryKeyId().orElseThrow();
    BackupPipeline pipeline =
        new BackupPipeline(
            options.compression(),
            encrypt,
            options.bufferSize(),
            n -> progress.read("database", options.targetName(), n));
    AtomicReference<PipelineResult> result = new AtomicReference<>();
    // exact counts come from the dump itself, so they work in docker mode too; estimates need SQL
    RowCountMode rowCountMode =
        jdbc == null && options.rowCounts() == RowCountMode.ESTIMATE
            ? RowCountMode.OFF
            : options.rowCounts();
    AtomicReference<CopyRowCounter> counter = new AtomicReference<>();
    StoredObject stored =
        storage.put(
            objectKey,
            out ->
                source.dump(
                    in -> {
                      InputStream sql = in;
                      if (rowCountMode == RowCountMode.EXACT) {
                        CopyRowCounter counting = new CopyRowCounter(in);
                        counter.set(counting);
                        sql = counting;
                      }
                      result.set(pipeline.run(sql, out));
                    }));
    List<TableRowCount> rowCounts;
    try {
      rowCounts =
          switch (rowCountMode) {
            case EXACT -> Objects.requireNonNull(counter.get()).tableRowCounts();
            case ESTIMATE ->
                TableRowCounts.estimates(
                    Objects.requireNonNull(jdbc), options.targetName(), options.urlSetting());
            case OFF -> List.of();
          };
    } catch (RuntimeException e) {
      storage.delete(objectKey);
      throw e;
    }
    PipelineResult pipelineResult = result.get();
    if (pipelineResult == null) {
      // put returned, so the writer returned normally, so the pipeline ran
      throw new IllegalStateException("pipeline produced no result for '" + objectKey + "'");
    }
    StoredBackupObject.requireStoredSize(storage, objectKey, stored, pipelineResult);
    String fileName = objectKey.substring(objectKey.lastIndexOf('/') + 1);
    Instant finished = clock.instant();
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            options.backupId(),
            options.jobId(),
            options.targetName(),
            "database",
            finished,
            options.toolVersion(),
            fileName,
            server.display(),
            pgDump.version().display(),
            new BackupManifest.Sizes(
                pipelineResult.rawBytes(),
                pipelineResult.compressedBytes(),
                pipelineResult.storedBytes()),
            pipelineResult.sha256Compressed(),
            pipelineResult.sha256Stored(),
            options.compression().format().id(),
            StoredBackupObject.encryption(keyId),
            new BackupManifest.RowCounts(
                rowCountMode.settingValue(),
                rowCounts.stream()
                    .map(t -> new BackupManifest.TableRows(t.schema(), t.table(), t.rows()))
                    .toList()),
            null);
    StoredBackupObject.WrittenManifest written =
        StoredBackupObject.writeManifest(storage, objectKey, manifest);
    return new BackupOutcome(
        storage.name(),
        objectKey,
        fileName,
        pipelineResult,
        server.display(),
        pgDump.version().display(),
        started,
        finished,
        keyId,
        written.key(),
        written.manifest());
  }
}
