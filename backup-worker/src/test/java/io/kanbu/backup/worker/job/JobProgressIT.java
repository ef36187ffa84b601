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
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running backup reports how many source bytes it has read with every lease renewal, so the
 * dashboard and the jobs API can show its progress. The worker's pg_dump here is a wrapper that
 * writes the real dump and then waits a few seconds before it exits, so that renewals happen while
 * the job runs with all of its bytes read.
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
  static Connection rabbit;
  static Channel channel;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    PostgresEndpoint pg = ExternalServices.postgres();
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
    writeSlowPgDump(bin);

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-progress-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.lease-duration", () -> "10s");
    registry.add("kanbu.worker.lease-renewal-interval", () -> "300ms");
    registry.add("kanbu.worker.pg-bin-dirs", bin::toString);
    registry.add("kanbu.worker.storage.local-path", () -> root.resolve("backups").toString());
    registry.add("kanbu.postgres.mode", () -> "direct");
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(DUMPED_DB));

    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-progress-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.confirmSelect();
  }

  /** {@code bin/pg_dump}: this machine's newest pg_dump, then a 3 s pause before it exits. */
  static void writeSlowPgDump(Path bin) throws Exception {
    Path real;
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      real =
          versions
              .map(v -> v.resolve("bin/pg_dump"))
              .filter(Files::isExecutable)
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    Path script = bin.resolve("pg_dump");
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
  void aRunningBackup_reportsTheBytesItHasRead_withItsLeaseRenewals() throws Exception {
    UUID jobId = UUID.randomUUID();
    publishCommand(jobId);

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
  }

  static void publishCommand(UUID jobId) throws Exception {
    String json =
        """
        {"schemaVersion":1,"jobId":"%s","type":"BACKUP_DATABASE","target":"default",
         "trigger":"MESSAGE","requestedBy":"progress-it","requestedAt":"%s"}
        """
            .formatted(jobId, Instant.now());
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
