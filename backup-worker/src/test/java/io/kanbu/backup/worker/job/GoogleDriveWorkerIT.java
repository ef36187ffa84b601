package io.kanbu.backup.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.core.storage.gdrive.FakeDrive;
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
import io.kanbu.backup.worker.BackupWorkerApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with {@code BACKUP_STORAGE=gdrive}: backup, verification and restore through the real
 * Google client against {@link FakeDrive}, the real PostgreSQL and RabbitMQ.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GoogleDriveWorkerIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_gdrive_test_catalog" + SUFFIX;
  static final String APP_DB = "kanbu_gdrive_test_app" + SUFFIX;
  static final String RESTORED_DB = "kanbu_gdrive_test_restored" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.gdrive-test.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static FakeDrive drive;
  static PostgresEndpoint pg;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired RabbitTemplate rabbit;
  @Autowired CommandMessages messages;
  @Autowired MeterRegistry meters;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(APP_DB);
    sql(
        APP_DB,
        "CREATE TABLE item (id int PRIMARY KEY, label text)",
        "INSERT INTO item SELECT g, md5(g::text) FROM generate_series(1, 20000) g");
    drive = new FakeDrive();
    Path keys = Files.createTempDirectory("kanbu-gdrive-it");
    Path key = drive.writeServiceAccountKey(keys);
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-gdrive-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.type", () -> "gdrive");
    registry.add("kanbu.worker.storage.gdrive.credentials", key::toString);
    registry.add("kanbu.worker.storage.gdrive.folder-id", () -> "folder-kanbu");
    registry.add("kanbu.worker.storage.gdrive.root-url", drive::rootUrl);
    registry.add("kanbu.worker.storage.gdrive.chunk-size", () -> "262144");
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(APP_DB));
    try (Connection connection = WorkerTestEnvironment.connect(mq, "kanbu-gdrive-it");
        Channel channel = connection.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    drive.close();
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + APP_DB + " WITH (FORCE)");
      s.execute("DROP DATABASE IF EXISTS " + RESTORED_DB + " WITH (FORCE)");
    }
    try (Connection connection =
            WorkerTestEnvironment.connect(ExternalServices.rabbitmq(), "kanbu-gdrive-it-cleanup");
        Channel channel = connection.createChannel()) {
      channel.queueDelete(JOBS_QUEUE);
    }
  }

  @Test
  void aBackupGoesToDrive_verifies_andRestoresFromIt() throws Exception {
    BackupJob backedUp =
        awaitFinished(
            send(
                BackupCommand.of(
                    UUID.randomUUID(),
                    JobType.BACKUP_DATABASE,
                    "default",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now())));

    assertThat(backedUp.getStatus())
        .as("error: %s", backedUp.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord backup = backups.findById(backedUp.getBackupId()).orElseThrow();
    assertThat(backup.getStorage()).isEqualTo("gdrive");
    assertThat(
            meters
                .get("kanbu.backup.job.duration")
                .tags("type", "BACKUP_DATABASE", "target", "default", "status", "SUCCEEDED")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("kanbu.backup.bytes")
                .tags("type", "BACKUP_DATABASE", "target", "default", "stage", "stored")
                .counter()
                .count())
        .isEqualTo(backup.getStoredSize());
    assertThat(drive.files())
        .extracting(f -> f.appProperties().get("kanbuKey"))
        .containsExactlyInAnyOrder(backup.getObjectKey(), backup.getManifestKey());
    assertThat(drive.files())
        .filteredOn(f -> backup.getObjectKey().equals(f.appProperties().get("kanbuKey")))
        .singleElement()
        .satisfies(f -> assertThat((long) f.content().length).isEqualTo(backup.getStoredSize()));

    BackupJob verified =
        awaitFinished(
            send(
                BackupCommand.verify(
                    UUID.randomUUID(),
                    "default",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now(),
                    backup.getId(),
                    false)));
    assertThat(verified.getStatus())
        .as("error: %s", verified.getError())
        .isEqualTo(JobStatus.SUCCEEDED);

    BackupJob restored =
        awaitFinished(
            send(
                BackupCommand.restore(
                    UUID.randomUUID(),
                    "default",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now(),
                    backup.getId(),
                    RESTORED_DB,
                    false,
                    null)));
    assertThat(restored.getStatus())
        .as("error: %s", restored.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(pg.contentFingerprint(RESTORED_DB)).isEqualTo(pg.contentFingerprint(APP_DB));
  }

  UUID send(BackupCommand command) {
    rabbit.send(MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, messages.command(command));
    return command.jobId();
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  static void sql(String db, String... statements) throws Exception {
    try (java.sql.Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
