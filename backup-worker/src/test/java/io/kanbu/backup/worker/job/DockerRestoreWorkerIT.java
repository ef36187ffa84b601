package io.kanbu.backup.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.testing.StandInDocker;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * {@code RESTORE_DATABASE} and drills of a target the worker reaches only through its container: no
 * {@code DATABASE_URL}, {@code BACKUP_PG_MODE=auto}, the stand-in docker client in front of the
 * real PostgreSQL, a role whose password the server checks. Private catalog, database and queue.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DockerRestoreWorkerIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own databases and queue. */
  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");

  static final String CATALOG_DB = "kanbu_it_dockrestore_catalog" + SUFFIX;
  static final String APP_DB = "kanbu_it_dockrestore_app" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.dockrestore.jobs" + SUFFIX;
  static final String ROLE = "kanbu_it_dockrestore_worker";
  static final String PASSWORD = "W0rker-Docker-Env-0nly";
  static final String CONTAINER = "postgres-it-1";
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static Path root;
  static PostgresEndpoint pg;
  static StandInDocker docker;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired RabbitTemplate rabbit;
  @Autowired CommandMessages messages;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.passwordRole(ROLE, PASSWORD, "SUPERUSER");
    root = Files.createTempDirectory("kanbu-docker-restore-it");
    docker = StandInDocker.install(root.resolve("docker"), pg);
    docker.containersRunning("web-1", CONTAINER);
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-docker-restore-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.local-path", () -> root.resolve("backups").toString());
    registry.add("kanbu.targets.default.database-url", () -> "");
    registry.add("kanbu.postgres.mode", () -> "auto");
    registry.add("kanbu.postgres.docker-binary", () -> docker.binary().toString());
    registry.add("kanbu.postgres.user", () -> ROLE);
    registry.add("kanbu.postgres.database", () -> APP_DB);
    registry.add("kanbu.postgres.password", () -> PASSWORD);
    registry.add("BACKUP_ENCRYPTION_KEY", () -> "docker restore it passphrase");
    try (Connection connection = WorkerTestEnvironment.connect(mq, "kanbu-docker-restore-it");
        Channel channel = connection.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    pg.execute(pg.adminDatabase(), "DROP DATABASE IF EXISTS " + APP_DB + " WITH (FORCE)");
    FileSystemUtils.deleteRecursively(root);
    WorkerTestEnvironment.deleteQueue(ExternalServices.rabbitmq(), JOBS_QUEUE);
  }

  @BeforeEach
  void freshAppDatabase() throws Exception {
    pg.recreateDatabase(APP_DB);
    pg.execute(
        APP_DB,
        "CREATE TABLE invoice (id int PRIMARY KEY, total numeric)",
        "INSERT INTO invoice SELECT g, g * 2.5 FROM generate_series(1, 2000) g");
  }

  @Test
  void restoreJob_withoutDatabaseUrl_autoModeRestoresThroughTheContainer_afterASafetyBackup()
      throws Exception {
    BackupRecord backup = backUp();
    String backedUp = pg.contentFingerprint(APP_DB);
    pg.execute(APP_DB, "DELETE FROM invoice WHERE id > 10", "CREATE TABLE added_later (id int)");

    UUID jobId = UUID.randomUUID();
    send(
        BackupCommand.restore(
            jobId,
            "default",
            TriggerSource.MESSAGE,
            "ops@example",
            Instant.now(),
            backup.getId(),
            null,
            false,
            null));
    BackupJob job = awaitFinished(jobId);

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getMode()).isEqualTo("docker");
    assertThat(job.getModeReason()).contains("DATABASE_URL is not set", CONTAINER);
    assertThat(pg.contentFingerprint(APP_DB)).isEqualTo(backedUp);
    BackupJob safety =
        jobs.findAll().stream()
            .filter(j -> jobId.equals(j.getParentJobId()))
            .findFirst()
            .orElseThrow();
    assertThat(safety.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(safety.getMode()).isEqualTo("docker");
    assertThat(job.getWarnings())
        .anyMatch(w -> w.contains("safety backup " + safety.getBackupId()))
        // a docker-mode backup counts its rows from the dump, so the restore compares them
        .noneMatch(w -> w.contains("row counts are not compared"));
    assertThat(docker.calls())
        .extracting(StandInDocker.Call::line)
        .contains(
            "exec -i -e PGPASSWORD -e PGAPPNAME %s psql -X -1 -v ON_ERROR_STOP=1 -q -w -f - -U %s -d %s"
                .formatted(CONTAINER, ROLE, APP_DB));
    assertThat(docker.calls())
        .allSatisfy(
            c -> {
              assertThat(c.line()).doesNotContain(PASSWORD);
              assertThat(c.args()).doesNotContain("-t", "-it", "-ti");
              assertThat(c.passwordInEnvironment())
                  .as("password in the environment of %s", c.line())
                  .isEqualTo(c.args().contains("PGPASSWORD"));
            });
  }

  @Test
  void drill_throughTheContainer_passes_andDropsTheScratchDatabase() throws Exception {
    BackupRecord backup = backUp();

    UUID jobId = UUID.randomUUID();
    send(
        BackupCommand.verify(
            jobId, "default", TriggerSource.MESSAGE, "it", Instant.now(), backup.getId(), true));
    BackupJob job = awaitFinished(jobId);

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(backups.findById(backup.getId()).orElseThrow().getLastDrillPassed()).isTrue();
    String scratch = "kanbu_drill_" + jobId.toString().substring(0, 8);
    assertThat(docker.calls()).anyMatch(c -> c.args().contains(scratch));
    assertThat(docker.calls())
        .last()
        .satisfies(c -> assertThat(c.line()).contains("DROP DATABASE IF EXISTS \"" + scratch));
  }

  BackupRecord backUp() {
    UUID jobId = UUID.randomUUID();
    send(
        BackupCommand.of(
            jobId, JobType.BACKUP_DATABASE, "default", TriggerSource.MESSAGE, "it", Instant.now()));
    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    return backups.findById(job.getBackupId()).orElseThrow();
  }

  void send(BackupCommand command) {
    rabbit.send(MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, messages.command(command));
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }
}
