package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees of a worker: JSON log lines (structured logging switched on, as {@code
 * LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} does) that carry the job id, the live pipeline and
 * dead-letter metrics, and readiness that follows the storage. Private catalog, jobs queue and
 * storage, named after {@code kanbu.it.worker-suffix}.
 */
@ExtendWith({ExternalServices.class, OutputCaptureExtension.class})
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "logging.structured.format.console=ecs",
      "management.endpoint.health.show-details=always"
    })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WorkerObservabilityIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_it_obs_worker_catalog" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.obs.worker.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static Path root;
  static Path storageParent;
  static Connection rabbit;
  static Channel channel;

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    PostgresEndpoint pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    root = Files.createTempDirectory("kanbu-obs-worker-it");
    storageParent = Files.createDirectories(root.resolve("storage"));
    Path tree = Files.createDirectories(root.resolve("app/src"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(tree.resolve("file-" + i + ".ts"), "export const n = " + i + ";\n");
    }

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-obs-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add(
        "kanbu.worker.storage.local-path", () -> storageParent.resolve("backups").toString());
    registry.add("kanbu.targets.default.database-url", () -> "");
    registry.add("kanbu.targets.default.source-path", () -> root.resolve("app").toString());
    // every readiness check probes the storage again, so the test sees a change at once
    registry.add("kanbu.health.storage-probe-interval", () -> "0s");
    registry.add("kanbu.worker.heartbeat-interval", () -> "1s");

    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-obs-worker-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.confirmSelect();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (rabbit != null) {
      rabbit.close();
    }
    WorkerTestEnvironment.deleteQueue(ExternalServices.rabbitmq(), JOBS_QUEUE);
  }

  @Test
  void aJob_logsJsonLines_eachStateChangeOnce_andEveryLineAboutItCarriesItsId(CapturedOutput output)
      throws Exception {
    UUID jobId = UUID.randomUUID();

    publish(jobId, command(jobId, "BACKUP_SOURCE"));

    BackupJob job = WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    List<JsonNode> lines =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> jsonLines(output).stream().filter(l -> mentions(l, jobId)).toList(),
                found -> found.stream().anyMatch(l -> message(l).contains("SUCCEEDED")));
    assertThat(lines).allSatisfy(l -> assertThat(text(l, "jobId")).isEqualTo(jobId.toString()));
    assertThat(lines.stream().filter(l -> message(l).contains(jobId + " RUNNING"))).hasSize(1);
    assertThat(lines.stream().filter(l -> message(l).contains(jobId + " SUCCEEDED"))).hasSize(1);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l.get("log").get("level").asString()).isNotBlank());
  }

  @Test
  void sourceBackup_countsTheBytesItReads_inThePipelineThroughputMetric() throws Exception {
    double before = pipelineBytes();
    UUID jobId = UUID.randomUUID();

    publish(jobId, command(jobId, "BACKUP_SOURCE"));

    BackupJob job = WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    // the tar of 20 small files: headers and content, at least 20 blocks of 512 bytes
    assertThat(pipelineBytes() - before).isGreaterThanOrEqualTo(20 * 512);
  }

  @Test
  void aCommandThatIsNotJson_isDeadLettered_andCounted() throws Exception {
    double before =
        metric("kanbu_backup_dead_lettered_messages_total{queue=\"kanbu.backup.jobs.dead\"}");

    publish(UUID.randomUUID(), "this is not a command".getBytes(UTF_8));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                metric(
                    "kanbu_backup_dead_lettered_messages_total{queue=\"kanbu.backup.jobs.dead\"}"),
            after -> after == before + 1);
  }

  @Test
  void readiness_followsTheStorage_whileLivenessStaysUp() throws Exception {
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    Path backups = storageParent.resolve("backups");
    Path moved = root.resolve("storage-away");
    Files.move(storageParent, moved);
    // the storage's parent is now a regular file: nothing can be written below it (even as root)
    Files.writeString(storageParent, "not a directory");
    try {
      HttpResponse<String> down = get("/actuator/health/readiness");
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      JsonNode storage = json.readTree(down.body()).get("components").get("storage");
      assertThat(storage.get("status").asString()).isEqualTo("DOWN");
      assertThat(storage.get("details").get("error").asString()).contains("not a directory");
      assertThat(json.readTree(down.body()).get("components").get("db").get("status").asString())
          .isEqualTo("UP");
      assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    } finally {
      Files.delete(storageParent);
      Files.move(moved, storageParent);
    }
    assertThat(Files.isDirectory(backups.getParent())).isTrue();
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void theWorker_recordsItsHeartbeat_forTheGatewaysWorkerCount() {
    Instant before = Instant.now().minusSeconds(1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbc.queryForObject(
                    "SELECT last_seen_at FROM worker_heartbeat WHERE worker_id = 'it-obs-worker'",
                    java.sql.Timestamp.class),
            seen -> seen != null && seen.toInstant().isAfter(before));
  }

  private double pipelineBytes() throws Exception {
    return metric(
        "kanbu_backup_pipeline_read_bytes_total{target=\"default\",type=\"BACKUP_SOURCE\"}");
  }

  /** A sample of /actuator/prometheus, 0 while the series does not exist. */
  private double metric(String series) throws Exception {
    String body = get("/actuator/prometheus").body();
    return body.lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
        .findFirst()
        .orElse(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> jsonLines(CapturedOutput output) {
    return output
        .getOut()
        .lines()
        .filter(l -> l.startsWith("{"))
        .map(l -> (JsonNode) json.readTree(l))
        .toList();
  }

  private static boolean mentions(JsonNode line, UUID jobId) {
    return message(line).contains(jobId.toString()) || jobId.toString().equals(text(line, "jobId"));
  }

  private static String message(JsonNode line) {
    return text(line, "message");
  }

  private static String text(JsonNode line, String field) {
    JsonNode node = line.get(field);
    return node == null ? "" : node.asString();
  }

  private static byte[] command(UUID jobId, String type) {
    return """
        {"schemaVersion":1,"jobId":"%s","type":"%s","target":"default","trigger":"MESSAGE",
         "requestedBy":"obs-it","requestedAt":"%s"}
        """
        .formatted(jobId, type, Instant.now())
        .getBytes(UTF_8);
  }

  private static void publish(UUID messageId, byte[] body) throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(messageId.toString())
            .build();
    synchronized (channel) {
      channel.basicPublish(MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, true, props, body);
      channel.waitForConfirmsOrDie(10_000);
    }
  }
}
