package io.kanbu.backup.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.testing.TargetBlocker;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code RESTORE_DATABASE} commands on a worker with encryption on, against the real PostgreSQL and
 * RabbitMQ: the restore itself, its safety backup, and the refusals that leave the target as it
 * was. Private catalog, databases and jobs queue.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RestoreWorkerIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own databases and queue. */
  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");

  static final String CATALOG_DB = "kanbu_restore_test_worker_catalog" + SUFFIX;
  static final String APP_DB = "kanbu_restore_test_worker_app" + SUFFIX;
  static final String SCRATCH_DB = "kanbu_restore_test_worker_scratch" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.restore-test.worker.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static Path root;
  static PostgresEndpoint pg;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired JobEventRecordRepository events;
  @Autowired RabbitTemplate rabbit;
  @Autowired CommandMessages messages;
  @Autowired TransactionTemplate transactions;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    root = Files.createTempDirectory("kanbu-restore-it");
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-restore-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.event-relay-grace", () -> "1s");
    registry.add("kanbu.worker.storage.local-path", () -> root.resolve("backups").toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(APP_DB));
    // the same database, drilled on a server that does not answer
    registry.add("kanbu.targets.elsewhere.database-url", () -> pg.databaseUrl(APP_DB));
    registry.add(
        "kanbu.targets.elsewhere.drill-database-url",
        () -> "postgresql://drill@127.0.0.1:1/postgres");
    // the same database again, backed up in the other compressions
    // (KANBU_TARGETS_<NAME>_COMPRESSION)
    registry.add("kanbu.targets.zstd.database-url", () -> pg.databaseUrl(APP_DB));
    registry.add("kanbu.targets.zstd.compression", () -> "zstd");
    registry.add("kanbu.targets.zstd.compression-level", () -> "5");
    registry.add("kanbu.targets.plain.database-url", () -> pg.databaseUrl(APP_DB));
    registry.add("kanbu.targets.plain.compression", () -> "none");
    registry.add("BACKUP_ENCRYPTION_KEY", () -> "restore it passphrase");
    registry.add("BACKUP_ENCRYPTION_KEY_ID", () -> "ops-restore");
    try (Connection connection = WorkerTestEnvironment.connect(mq, "kanbu-restore-it");
        Channel channel = connection.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      for (String db : List.of(APP_DB, SCRATCH_DB)) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (Connection connection =
            WorkerTestEnvironment.connect(ExternalServices.rabbitmq(), "kanbu-restore-it-cleanup");
        Channel channel = connection.createChannel()) {
      channel.queueDelete(JOBS_QUEUE);
    }
  }

  @BeforeEach
  void freshAppDatabase() throws Exception {
    pg.recreateDatabase(APP_DB);
    sql(
        APP_DB,
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric)",
        "INSERT INTO shop.orders SELECT g, g * 1.5 FROM generate_series(1, 3000) g",
        "CREATE TABLE customer (id int PRIMARY KEY, name text)",
        "INSERT INTO customer VALUES (1, 'ada'), (2, 'grace')");
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SCRATCH_DB + " WITH (FORCE)");
    }
  }

  @Test
  void restoreOverAChangedDatabase_takesASafetyBackup_thenLeavesExactlyTheBackup()
      throws Exception {
    BackupRecord backup = backUp();
    String backedUp = fingerprint(APP_DB);
    sql(
        APP_DB,
        "DELETE FROM shop.orders WHERE id > 100",
        "UPDATE customer SET name = 'changed'",
        "CREATE TABLE shop.added_later (id int)");
    String changed = fingerprint(APP_DB);

    BackupJob job = runRestore(backup.getId(), null, false, null, "ops@example");

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getRequestedBy()).isEqualTo("ops@example");
    assertThat(fingerprint(APP_DB)).isEqualTo(backedUp);
    BackupJob safety = safetyBackupOf(job.getId());
    assertThat(safety.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getWarnings())
        .anyMatch(w -> w.contains("safety backup " + safety.getBackupId()));
    // the safety backup holds the state just before the restore: restoring it brings that back
    BackupJob undo = runRestore(safety.getBackupId(), SCRATCH_DB, false, null, "ops@example");
    assertThat(undo.getStatus()).as("error: %s", undo.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(fingerprint(SCRATCH_DB)).isEqualTo(changed);
    assertThat(eventTypesOf(job.getId())).containsExactly("job.started", "restore.succeeded");
  }

  @ParameterizedTest(name = "target {0}: {1}")
  @CsvSource({"zstd, zstd, .sql.zst.enc", "plain, none, .sql.enc"})
  void zstdAndUncompressedBackups_areRecorded_drilled_andRestored(
      String target, String compression, String suffix) throws Exception {
    String backedUp = fingerprint(APP_DB);
    BackupRecord backup = backUp(target);

    assertThat(backup.getFileName()).endsWith(suffix);
    assertThat(backup.getCompression()).isEqualTo(compression);
    byte[] manifest = Files.readAllBytes(root.resolve("backups").resolve(backup.getManifestKey()));
    assertThat(new ManifestCodec().decode(manifest, backup.getManifestKey()).compression())
        .isEqualTo(compression);
    if (compression.equals("none")) {
      assertThat(backup.getCompressedSize()).isEqualTo(backup.getRawSize());
    } else {
      assertThat(backup.getCompressedSize()).isLessThan(backup.getRawSize() / 2);
    }

    BackupJob drill = awaitFinished(publishDrill(backup.getId(), target));
    assertThat(drill.getStatus()).as("error: %s", drill.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(backups.findById(backup.getId()).orElseThrow().getLastDrillPassed()).isTrue();

    BackupJob restore =
        awaitFinished(publishRestore(target, backup.getId(), SCRATCH_DB, false, null, "ops"));
    assertThat(restore.getStatus())
        .as("error: %s", restore.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(fingerprint(SCRATCH_DB)).isEqualTo(backedUp);
  }

  @Test
  void corruptedBackup_failsBeforeAnythingChanges_withoutASafetyBackup() throws Exception {
    BackupRecord backup = backUp();
    Path file = root.resolve("backups").resolve(backup.getObjectKey());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 100] ^= 0x01;
    Files.write(file, bytes);
    sql(APP_DB, "UPDATE customer SET name = 'changed'");
    String before = fingerprint(APP_DB);

    BackupJob job = runRestore(backup.getId(), null, false, null, "ops@example");

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).contains("did not verify").contains("nothing was restored");
    assertThat(fingerprint(APP_DB)).isEqualTo(before);
    assertThat(jobs.findAll()).noneMatch(j -> job.getId().equals(j.getParentJobId()));
    assertThat(eventTypesOf(job.getId())).containsExactly("job.started", "restore.failed");
    BackupRecord damaged = backups.findById(backup.getId()).orElseThrow();
    assertThat(damaged.getVerifyError()).as("recorded as a failed verification").isNotBlank();
    assertThat(damaged.getVerifiedAt()).isNull();
  }

  @Test
  void waivedSafetyBackup_isRecordedWithItsReason() throws Exception {
    BackupRecord backup = backUp();

    BackupJob job =
        runRestore(backup.getId(), null, false, "copied to the DR site an hour ago", "ops@example");

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getWarnings())
        .anyMatch(
            w -> w.contains("waived by 'ops@example'") && w.contains("copied to the DR site"));
    assertThat(jobs.findAll()).noneMatch(j -> job.getId().equals(j.getParentJobId()));
  }

  @Test
  void otherSessionsOnTheTarget_refuseTheRestore_unlessTerminationIsAsked() throws Exception {
    BackupRecord backup = backUp();
    sql(APP_DB, "UPDATE customer SET name = 'changed'");
    String before = fingerprint(APP_DB);
    try (java.sql.Connection busy = pg.connect(APP_DB)) {
      BackupJob refused = runRestore(backup.getId(), null, false, "test", "ops@example");

      assertThat(refused.getStatus()).isEqualTo(JobStatus.FAILED);
      assertThat(refused.getError()).contains("refused").contains("terminateConnections");
      assertThat(fingerprint(APP_DB)).isEqualTo(before);

      BackupJob allowed = runRestore(backup.getId(), null, true, "test", "ops@example");
      assertThat(allowed.getStatus())
          .as("error: %s", allowed.getError())
          .isEqualTo(JobStatus.SUCCEEDED);
      assertThat(busy.isValid(2)).isFalse();
    }
  }

  @Test
  void targetBusyWithARunningBackup_leavesTheRestoreQueued_andTheTargetAlone() throws Exception {
    BackupRecord backup = backUp();
    sql(APP_DB, "UPDATE customer SET name = 'changed'");
    String before = fingerprint(APP_DB);
    try (TargetBlocker blocker = new TargetBlocker(jobs, transactions, "default")) {
      UUID restoreId = publishRestore(backup.getId(), null, false, null, "ops@example");

      // the worker hands the job back (unpublished) instead of running it
      await()
          .atMost(TIMEOUT)
          .until(
              () -> jobs.findById(restoreId).filter(j -> j.getPublishedAt() == null).isPresent());
      assertThat(jobs.findById(restoreId).orElseThrow().getStatus()).isEqualTo(JobStatus.QUEUED);
      assertThat(fingerprint(APP_DB)).isEqualTo(before);
    }
  }

  @Test
  void drill_ofAGoodBackup_passes_recordsItsTime_andDropsTheScratchDatabase() throws Exception {
    BackupRecord backup = backUp();

    UUID jobId = publishDrill(backup.getId());
    BackupJob job = awaitFinished(jobId);

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord drilled = backups.findById(backup.getId()).orElseThrow();
    assertThat(drilled.getLastDrillPassed()).isTrue();
    assertThat(drilled.getLastDrillSeconds()).isNotNull().isPositive();
    assertThat(drilled.getLastDrillError()).isNull();
    assertThat(drilled.getVerifiedAt()).isNotNull();
    assertThat(job.getWarnings()).anyMatch(w -> w.contains("restore drill passed"));
    assertThat(databaseExists("kanbu_drill_" + jobId.toString().substring(0, 8))).isFalse();
    assertThat(eventTypesOf(jobId)).containsExactly("job.started", "verify.succeeded");
    assertThat(eventPayloadOf(jobId)).contains("\"drill\":{\"passed\":true,\"seconds\":");
  }

  @Test
  void drill_whoseManifestCountsDiffer_fails_namingTheTable_andDropsTheScratchDatabase()
      throws Exception {
    BackupRecord backup = backUp();
    Path manifestFile = root.resolve("backups").resolve(backup.getManifestKey());
    ManifestCodec manifests = new ManifestCodec();
    BackupManifest real =
        manifests.decode(Files.readAllBytes(manifestFile), backup.getManifestKey());
    List<BackupManifest.TableRows> tampered =
        real.rowCounts().tables().stream()
            .map(
                t ->
                    t.table().equals("customer")
                        ? new BackupManifest.TableRows(t.schema(), t.table(), t.rows() + 1)
                        : t)
            .toList();
    Files.write(
        manifestFile,
        manifests.encode(real.withRowCounts(new BackupManifest.RowCounts("exact", tampered))));

    UUID jobId = publishDrill(backup.getId());
    BackupJob job = awaitFinished(jobId);

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError())
        .contains("restore drill failed")
        .contains("public.customer: 2 rows restored, the manifest has 3");
    BackupRecord drilled = backups.findById(backup.getId()).orElseThrow();
    assertThat(drilled.getLastDrillPassed()).isFalse();
    assertThat(drilled.getLastDrillError()).contains("public.customer");
    assertThat(databaseExists("kanbu_drill_" + jobId.toString().substring(0, 8))).isFalse();
    assertThat(eventTypesOf(jobId)).containsExactly("job.started", "verify.failed");
    assertThat(eventPayloadOf(jobId))
        .contains("\"drill\":{\"passed\":false,\"seconds\":null,\"error\":\"restore drill failed");
  }

  @Test
  void drill_runsOnTheTargetsDrillServer_whenOneIsConfigured() throws Exception {
    BackupRecord backup = backUp("elsewhere");

    UUID jobId = publishDrill(backup.getId(), "elsewhere");
    BackupJob job = awaitFinished(jobId);

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError())
        .contains("restore drill failed")
        .contains("127.0.0.1:1")
        .contains("KANBU_TARGETS_ELSEWHERE_DRILL_DATABASE_URL");
    assertThat(backups.findById(backup.getId()).orElseThrow().getLastDrillPassed()).isFalse();
  }

  // --- helpers

  BackupRecord backUp() {
    return backUp("default");
  }

  BackupRecord backUp(String target) {
    UUID jobId = UUID.randomUUID();
    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        messages.command(
            BackupCommand.of(
                jobId,
                JobType.BACKUP_DATABASE,
                target,
                TriggerSource.MESSAGE,
                "it",
                Instant.now())));
    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    return backups.findById(job.getBackupId()).orElseThrow();
  }

  UUID publishRestore(
      UUID backupId, String database, boolean terminate, String waiver, String requestedBy) {
    return publishRestore("default", backupId, database, terminate, waiver, requestedBy);
  }

  UUID publishRestore(
      String target,
      UUID backupId,
      String database,
      boolean terminate,
      String waiver,
      String requestedBy) {
    UUID jobId = UUID.randomUUID();
    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        messages.command(
            BackupCommand.restore(
                jobId,
                target,
                TriggerSource.MESSAGE,
                requestedBy,
                Instant.now(),
                backupId,
                database,
                terminate,
                waiver)));
    return jobId;
  }

  UUID publishDrill(UUID backupId) {
    return publishDrill(backupId, "default");
  }

  UUID publishDrill(UUID backupId, String target) {
    UUID jobId = UUID.randomUUID();
    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        messages.command(
            BackupCommand.verify(
                jobId, target, TriggerSource.MESSAGE, "it", Instant.now(), backupId, true)));
    return jobId;
  }

  static boolean databaseExists(String name) throws Exception {
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        java.sql.PreparedStatement s =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      s.setString(1, name);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  BackupJob runRestore(
      UUID backupId, String database, boolean terminate, String waiver, String requestedBy) {
    return awaitFinished(publishRestore(backupId, database, terminate, waiver, requestedBy));
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  BackupJob safetyBackupOf(UUID restoreJobId) {
    return jobs.findAll().stream()
        .filter(j -> restoreJobId.equals(j.getParentJobId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no safety backup job for " + restoreJobId));
  }

  /** The types of a job's events, its {@code job.started} first. */
  List<String> eventTypesOf(UUID jobId) {
    return events.findAll().stream()
        .filter(e -> jobId.equals(e.getJobId()))
        .sorted(
            java.util.Comparator.comparing(
                (JobEventRecord e) -> !e.getEventType().equals("job.started")))
        .map(JobEventRecord::getEventType)
        .toList();
  }

  /** The payload of a job's end event. */
  String eventPayloadOf(UUID jobId) {
    return events.findAll().stream()
        .filter(e -> jobId.equals(e.getJobId()) && !e.getEventType().equals("job.started"))
        .map(JobEventRecord::getPayload)
        .findFirst()
        .orElseThrow();
  }

  static void sql(String db, String... statements) throws Exception {
    try (java.sql.Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  static String fingerprint(String db) throws Exception {
    return pg.contentFingerprint(db);
  }
}
