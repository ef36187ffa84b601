package io.kanbu.backup.core;

import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.PipelineStage;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.DockerCli;
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
    return store(source, server, pgDump, storage, objectKey, options, started);
  }

  /**
   * Runs the backup in docker mode: {@code docker exec -i <container> pg_dump …} (see {@link
   * PgDumpSource#viaDocker}). The server's and the container's pg_dump versions are read through
   * the container first.
   *
   * @param conn user, database and password; its host and port are not used
   * @param setting the settings naming the container and user, for messages
   */
  public BackupOutcome backupViaDocker(
      DockerCli docker,
      String container,
      DatabaseConnection conn,
      String setting,
      StorageBackend storage,
      String objectKey,
      DatabaseBackupOptions options) {
    Instant started = clock.instant();
    java.util.Map<String, String> env =
        conn.password() == null
            ? java.util.Map.of()
            : java.util.Map.of("PGPASSWORD", conn.password());
    String versionText =
        docker.exec(container, java.util.Map.of(), java.util.List.of("pg_dump", "--version"));
    PgVersion dumpVersion = PgVersion.parseToolOutput(versionText);
    if (dumpVersion == null) {
      throw new PermanentBackupException(
          "container '"
              + container
              + "' has no usable pg_dump ('pg_dump --version' printed '"
              + versionText.strip()
              + "'); check POSTGRES_CONTAINER");
    }
    String serverText =
        docker
            .exec(
                container,
                env,
                java.util.List.of(
                    "psql",
                    "-X",
                    "-w",
                    "-At",
                    "-U",
                    conn.user(),
                    "-d",
                    conn.database(),
                    "-c",
                    "SHOW server_version_num"))
            .strip();
    PgVersion server;
    try {
      server = new PgVersion(Integer.parseInt(serverText));
    } catch (IllegalArgumentException e) {
      throw new PermanentBackupException(
          "unable to read the server version through container '"
              + container
              + "' (psql printed '"
              + serverText
              + "'); check "
              + setting);
    }
    PgTool pgDump = new PgTool("pg_dump", java.nio.file.Path.of("pg_dump"), dumpVersion);
    PgDumpSource source =
        PgDumpSource.viaDocker(
            new PgDumpSource.DockerExec(docker.binary(), container),
            conn,
            pgDump,
            options.targetName(),
            setting,
            server);
    return store(source, server, pgDump, storage, objectKey, options, started);
  }

  private BackupOutcome store(
      PgDumpSource source,
      PgVersion server,
      PgTool pgDump,
      StorageBackend storage,
      String objectKey,
      DatabaseBackupOptions options,
      Instant started) {
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
