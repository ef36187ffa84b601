package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.testing.StandInDocker;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * {@code BACKUP_SOURCE} jobs through the worker on the real PostgreSQL and RabbitMQ, with a private
 * catalog database and a private jobs queue (see {@link BackupWorkerIT} for why).
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SourceBackupWorkerIT {

  static final String CATALOG_DB = "kanbu_it_s_worker_catalog";
  static final String JOBS_QUEUE = "kanbu.it.s.worker.jobs";
  static final String DUMPED_DB = "kanbu_it_s_worker_app";
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static Path root;
  static StandInDocker docker;
  static Path tree;
  static Path storageDir;
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
      s.execute("CREATE TABLE sprocket (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO sprocket SELECT g, 'sprocket ' || g FROM generate_series(1, 50) g");
    }
    root = Files.createTempDirectory("kanbu-source-worker-it");
    storageDir = Files.createDirectories(root.resolve("backups"));
    tree = Files.createDirectories(root.resolve("app"));
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(tree.resolve("src/main.ts"), "export const kanbu = 1;\n");
    Files.writeString(tree.resolve(".env"), "DATABASE_URL=postgresql://u:secret@db/kanbu\n");
    Files.writeString(tree.resolve("package.json"), "{}\n");
    run("mkfifo", tree.resolve("a-fifo").toString());
    // a stand-in docker client: one database container, exec -i runs the real tools locally
    docker = StandInDocker.install(root.resolve("docker"), pg);
    docker.containersRunning("web-1", "postgres-it-1");

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-source-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.local-path", () -> storageDir.toString());
    registry.add("kanbu.targets.default.database-url", () -> "");
    registry.add("kanbu.postgres.mode", () -> "auto");
    registry.add("kanbu.postgres.docker-binary", () -> docker.binary().toString());
    registry.add("kanbu.postgres.user", pg::user);
    registry.add("kanbu.postgres.database", () -> DUMPED_DB);
    registry.add("kanbu.targets.default.source-path", () -> tree.toString());
    registry.add("kanbu.targets.default.source-exclude", () -> "package.json");
    registry.add("kanbu.targets.gone.source-path", () -> root.resolve("no-such-tree").toString());

    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-source-worker-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.confirmSelect();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (rabbit != null) {
      rabbit.close();
    }
  }

  @Test
  void sourceCommand_storesATarGz_withoutTheEnvFile_andSucceedsWithTheFifoAsAWarning()
      throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "default");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getWarnings())
        .singleElement()
        .satisfies(w -> assertThat(w).startsWith("a-fifo: special file"));
    List<BackupRecord> records = backups.findByJobId(jobId);
    assertThat(records).hasSize(1);
    BackupRecord record = records.getFirst();
    assertThat(record.getKind()).isEqualTo(BackupKind.SOURCE);
    assertThat(record.getObjectKey()).isEqualTo("default/source/" + record.getFileName());
    assertThat(record.getFileName())
        .matches(
            "kanbu_source_\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d_"
                + record.getId().toString().substring(0, 8)
                + "\\.tar\\.gz");
    assertThat(record.getFileCount()).isEqualTo(1);
    assertThat(record.getSourceBytes()).isEqualTo("export const kanbu = 1;\n".length());
    assertThat(record.getExcludedPatterns()).contains(".env", "package.json");
    assertThat(record.getGitCommit()).isNull();
    Path file = storageDir.resolve(record.getObjectKey());
    assertThat(record.getSha256Stored())
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertThat(run("tar", "-tzf", file.toString()).lines().toList())
        .containsExactly("src/", "src/main.ts");
  }

  @Test
  void sourceCommand_forAMissingTree_failsTheJob_namingTheSetting_andStoresNothing()
      throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "gone");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).contains("KANBU_TARGETS_GONE_SOURCE_PATH");
    assertThat(backups.findByJobId(jobId)).isEmpty();
    assertThat(storageDir.resolve("gone")).doesNotExist();
  }

  @Test
  void databaseCommand_withoutDatabaseUrl_autoModeDumpsThroughTheContainer_andRecordsWhy()
      throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "BACKUP_DATABASE", "default");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getMode()).isEqualTo("docker");
    assertThat(job.getModeReason())
        .contains("DATABASE_URL is not set", "postgres-it-1", "starts with 'postgres-'");
    BackupRecord record = backups.findByJobId(jobId).getFirst();
    assertThat(record.getKind()).isEqualTo(BackupKind.DATABASE);
    String sql;
    try (java.io.InputStream in =
        new java.util.zip.GZIPInputStream(
            Files.newInputStream(storageDir.resolve(record.getObjectKey())))) {
      sql = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(sql).contains("DROP TABLE IF EXISTS public.sprocket").contains("sprocket 49");
    assertThat(docker.calls())
        .extracting(StandInDocker.Call::line)
        .contains(
            "exec -i -e PGAPPNAME postgres-it-1 pg_dump -w --clean --if-exists --format=plain -U "
                + ExternalServices.postgres().user()
                + " -d "
                + DUMPED_DB);
  }

  static void publishCommand(UUID jobId, String target) throws Exception {
    publishCommand(jobId, "BACKUP_SOURCE", target);
  }

  static void publishCommand(UUID jobId, String type, String target) throws Exception {
    String json =
        """
        {"schemaVersion":1,"jobId":"%s","type":"%s","target":"%s","trigger":"MESSAGE",
         "requestedBy":"source-it","requestedAt":"%s"}
        """
            .formatted(jobId, type, target, Instant.now());
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(jobId.toString())
            .build();
    synchronized (channel) {
      channel.basicPublish(
          MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, true, props, json.getBytes(UTF_8));
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s", out).isZero();
    return out;
  }
}
