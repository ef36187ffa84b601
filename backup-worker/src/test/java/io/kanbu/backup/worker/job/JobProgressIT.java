package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running job reports its stage when it changes and the bytes its stage has read every {@code
 * progress-interval}, so the dashboard and the jobs API can show its progress. The worker's pg_dump
 * and psql here are wrappers that run the real ones and then wait a few seconds before they exit,
 * so that reports happen while a job runs with all of its bytes read. A trigger in the catalog logs
 * every change of a job's stage or byte count, so a test sees each stage however short.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(classes = BackupWorkerApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JobProgressIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_it_progress_catalog" + SUFFIX;
  static final String DUMPED_DB = "kanbu_it_progress_source" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.progress.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static Path root;
  static PostgresEndpoint pg;
  static Connection rabbit;
  static Channel channel;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(DUMPED_DB);
    try (java.sql.Connection c = pg.connect(DUMPED_DB);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE gear (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO gear SELECT g, 'gear ' || g FROM generate_series(1, 2000) g");
    }
    root = Files.createTempDirectory("kanbu-progress-it");
    Path bin = Files.createDirectories(root.resolve("bin"));
    writeSlowTool(bin, "pg_dump");
    writeSlowTool(bin, "psql");

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-progress-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.lease-duration", () -> "10s");
    registry.add("kanbu.worker.lease-renewal-interval", () -> "300ms");
    registry.add("kanbu.worker.progress-interval", () -> "1s");
    registry.add("kanbu.worker.pg-bin-dirs", bin::toString);
    registry.add("kanbu.worker.storage.local-path", () -> root.resolve("backups").toString());
    registry.add("kanbu.postgres.mode", () -> "direct");
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(DUMPED_DB));

    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-progress-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.confirmSelect();
  }

  /** {@code bin/<tool>}: this machine's newest one, then a 3 s pause before it exits. */
  static void writeSlowTool(Path bin, String tool) throws Exception {
    Path real;
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      real =
          versions
              .map(v -> v.resolve("bin").resolve(tool))
              .filter(Files::isExecutable)
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    Path script = bin.resolve(tool);
    Files.writeString(
        script,
        """
        #!/bin/sh
        if [ "$1" = "--version" ]; then exec "%1$s" --version; fi
        "%1$s" "$@" || exit $?
        sleep 3
        """
            .formatted(real));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Logs every change of a job's stage or byte count in the catalog, in order. */
  @BeforeEach
  void logProgressChanges() throws Exception {
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE TABLE IF NOT EXISTS it_progress_log (
            seq bigserial PRIMARY KEY, job_id uuid, status text, stage text, bytes bigint)
          """);
      s.execute(
          """
          CREATE OR REPLACE FUNCTION it_log_progress() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            INSERT INTO it_progress_log (job_id, status, stage, bytes)
            VALUES (NEW.id, NEW.status, NEW.progress_stage, NEW.progress_bytes);
            RETURN NEW;
          END $$
          """);
      s.execute(
          """
          CREATE OR REPLACE TRIGGER it_progress AFTER UPDATE ON backup_job FOR EACH ROW
          WHEN (NEW.progress_stage IS DISTINCT FROM OLD.progress_stage
                OR NEW.progress_bytes IS DISTINCT FROM OLD.progress_bytes)
          EXECUTE FUNCTION it_log_progress()
          """);
    }
  }

  /** One logged change: the job's status, stage and byte count after it. */
  record Logged(String status, @Nullable String stage, @Nullable Long bytes) {}

  static List<Logged> progressLog(UUID jobId) throws Exception {
    List<Logged> log = new ArrayList<>();
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        java.sql.PreparedStatement q =
            c.prepareStatement(
                "SELECT status, stage, bytes FROM it_progress_log WHERE job_id = ? ORDER BY seq")) {
      q.setObject(1, jobId);
      try (java.sql.ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          long bytes = rows.getLong(3);
          log.add(new Logged(rows.getString(1), rows.getString(2), rows.wasNull() ? null : bytes));
        }
      }
    }
    return log;
  }

  /** The stages a job went through, in order, each once per entry. */
  static List<String> stages(List<Logged> log) {
    List<String> stages = new ArrayList<>();
    for (Logged l : log) {
      if (l.stage() != null && (stages.isEmpty() || !stages.getLast().equals(l.stage()))) {
        stages.add(l.stage());
      }
    }
    return stages;
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (rabbit != null) {
      rabbit.close();
    }
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aRunningBackup_reportsItsStages_andTheBytesItHasRead() throws Exception {
    UUID jobId = UUID.randomUUID();
    publishBackup(jobId);

    BackupJob running =
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> jobs.findById(jobId).orElse(null),
                j ->
                    j != null
                        && j.getStatus() == JobStatus.RUNNING
                        && j.getProgressBytes() != null
                        && j.getProgressBytes() > 0);
    assertThat(running.getProgressAt()).isAfterOrEqualTo(running.getStartedAt());

    BackupJob done = WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
    assertThat(done.getStatus()).as("error: %s", done.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord backup = backups.findById(done.getBackupId()).orElseThrow();
    // the dump was complete while the wrapper waited: the last reports counted every byte of it
    assertThat(done.getProgressBytes()).isEqualTo(backup.getRawSize());

    List<Logged> log = progressLog(jobId);
    assertThat(stages(log)).containsExactly("connecting", "dumping", "finishing");
    assertThat(log)
        .as("byte counts reported while the dump ran")
        .anyMatch(l -> "dumping".equals(l.stage()) && l.bytes() != null && l.bytes() > 0);
    assertThat(log)
        .filteredOn(l -> "finishing".equals(l.stage()))
        .first()
        .extracting(Logged::bytes)
        .isEqualTo(backup.getRawSize());
    assertThat(log).allMatch(l -> l.status().equals("RUNNING"));
  }

  @Test
  void aRunningRestore_reportsItsStages_andTheBytesOfTheBackupItHasRead() throws Exception {
    UUID backupJobId = UUID.randomUUID();
    publishBackup(backupJobId);
    BackupJob backedUp = WorkerTestEnvironment.awaitFinished(jobs, backupJobId, TIMEOUT);
    assertThat(backedUp.getStatus())
        .as("error: %s", backedUp.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord backup = backups.findById(backedUp.getBackupId()).orElseThrow();

    UUID restoreId = UUID.randomUUID();
    publish(
        restoreId,
        """
        {"schemaVersion":1,"jobId":"%s","type":"RESTORE_DATABASE","target":"default",
         "trigger":"MESSAGE","requestedBy":"progress-it","requestedAt":"%s","backupId":"%s"}
        """
            .formatted(restoreId, Instant.now(), backup.getId()));

    // psql waits 3 s after its commit: the restore is seen committing with the whole backup read
    BackupJob committing =
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> jobs.findById(restoreId).orElse(null),
                j ->
                    j != null
                        && j.getStatus() == JobStatus.RUNNING
                        && "committing".equals(j.getProgressStage()));
    assertThat(committing.getProgressBytes()).isEqualTo(backup.getStoredSize());
    assertThat(committing.getProgressSince()).isAfter(committing.getStartedAt());

    BackupJob done = WorkerTestEnvironment.awaitFinished(jobs, restoreId, TIMEOUT);
    assertThat(done.getStatus()).as("error: %s", done.getError()).isEqualTo(JobStatus.SUCCEEDED);
    List<Logged> log = progressLog(restoreId);
    assertThat(stages(log))
        .containsExactly(
            "preflight",
            "verifying",
            "safety-backup",
            "applying",
            "checking",
            "committing",
            "analyzing");
    assertThat(log)
        .filteredOn(l -> "safety-backup".equals(l.stage()))
        .first()
        .as("the verification read the whole backup (and its manifest)")
        .extracting(Logged::bytes)
        .satisfies(b -> assertThat(b).isGreaterThanOrEqualTo(backup.getStoredSize()));
  }

  static void publishBackup(UUID jobId) throws Exception {
    publish(
        jobId,
        """
        {"schemaVersion":1,"jobId":"%s","type":"BACKUP_DATABASE","target":"default",
         "trigger":"MESSAGE","requestedBy":"progress-it","requestedAt":"%s"}
        """
            .formatted(jobId, Instant.now()));
  }

  static void publish(UUID jobId, String json) throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId(jobId.toString())
            .contentType("application/json")
            .deliveryMode(2)
            .build();
    channel.basicPublish(
        MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, true, props, json.getBytes(UTF_8));
    channel.waitForConfirmsOrDie(10_000);
  }
}
