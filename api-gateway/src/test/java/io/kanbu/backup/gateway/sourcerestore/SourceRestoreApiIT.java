package io.kanbu.backup.gateway.sourcerestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/backups/{id}/restore-source} over real HTTP, on a catalog of its own and the
 * real broker. No worker runs here (the target is one no worker knows): the test checks the job the
 * gateway creates and publishes; the extraction is {@code SourceRestoreWorkerIT}'s.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceRestoreApiIT {

  static final String DATABASE =
      "kanbu_it_src_restore_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  static final String TARGET = "srcrestore-" + GatewayTestEnvironment.randomHex(4);

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;

  GatewayClient client;
  BackupRecord source;
  BackupRecord database;
  BackupRecord missing;

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    BackupJob made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_SOURCE,
            TARGET,
            TriggerSource.API,
            "source-restore-it",
            null,
            3,
            now);
    made.markPublished(now);
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(made));
    source = backup(made, BackupKind.SOURCE, now);
    database = backup(made, BackupKind.DATABASE, now);
    missing = backup(made, BackupKind.SOURCE, now);
    missing.markMissing();
    backups.saveAll(List.of(source, database, missing));
  }

  static BackupRecord backup(BackupJob job, BackupKind kind, Instant createdAt) {
    UUID id = UUID.randomUUID();
    String name = "kanbu_x_" + id + (kind == BackupKind.SOURCE ? ".tar.gz" : ".sql.gz");
    String key = TARGET + "/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + name;
    String digest = "d".repeat(64);
    return BackupRecord.available(
        id,
        job.getId(),
        TARGET,
        kind,
        new BackupRecord.Location("local", key, name, key + ".manifest.json"),
        new BackupRecord.Content(10, 10, 10, digest, digest, "gzip", false, null, null, null),
        createdAt);
  }

  HttpResponse<String> post(UUID backupId, String body) {
    String path = "/api/v1/backups/" + backupId + "/restore-source";
    return client.send(
        body == null
            ? client.authorized(path).POST(HttpRequest.BodyPublishers.noBody())
            : client.postJson(path, body));
  }

  @Test
  void restoreOfASourceBackup_answers202WithAQueuedJob_whoseCommandNamesTheDirectory() {
    HttpResponse<String> response =
        post(source.getId(), "{\"directory\":\"/srv/restore/app\",\"overwriteLiveTree\":null}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("RESTORE_SOURCE");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    assertThat(job.get("target").asString()).isEqualTo(TARGET);
    UUID jobId = UUID.fromString(job.get("id").asString());
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
    BackupJob row = jobs.findById(jobId).orElseThrow();
    assertThat(row.getBackupId()).isEqualTo(source.getId());
    assertThat(row.getLockKey()).isEqualTo("source:" + TARGET);
    BackupCommand command = CommandOutboxRelay.commandFor(row);
    assertThat(command.directory()).isEqualTo("/srv/restore/app");
    assertThat(command.overwriteLiveTree()).isNull();
    assertThat(command.backupId()).isEqualTo(source.getId());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
  }

  @Test
  void confirmationWithTheTargetsName_isKeptOnTheJob() {
    HttpResponse<String> response =
        post(source.getId(), "{\"directory\":\"/app\",\"overwriteLiveTree\":\"" + TARGET + "\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("id").asString());
    assertThat(jobs.findById(jobId).orElseThrow().getSourceRestoreDetails())
        .isEqualTo(new BackupJob.SourceRestoreDetails("/app", TARGET));
  }

  @Test
  void badRequests_are400ProblemsNamingTheField_andQueueNothing() {
    long before = jobs.count();

    assertProblem(post(source.getId(), null), 400, "directory", "needs 'directory'");
    assertProblem(post(source.getId(), "{}"), 400, "directory", "needs 'directory'");
    assertProblem(
        post(source.getId(), "{\"directory\":\"restore/app\"}"),
        400,
        "directory",
        "is not an absolute path");
    assertProblem(
        post(database.getId(), "{\"directory\":\"/srv/restore/db\"}"),
        400,
        "id",
        "is a database backup, not a source backup");
    assertProblem(
        post(source.getId(), "{\"directory\":\"/app\",\"overwriteLiveTree\":\"default\"}"),
        400,
        "overwriteLiveTree",
        "does not match");
    assertThat(post(source.getId(), "{not json").statusCode()).isEqualTo(400);

    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void unknownBackupIs404_missingBackupIs409() {
    assertProblem(
        post(UUID.randomUUID(), "{\"directory\":\"/srv/x\"}"), 404, null, "does not exist");
    assertProblem(post(missing.getId(), "{\"directory\":\"/srv/x\"}"), 409, null, "MISSING");
  }

  @Test
  void openApi_documentsTheEndpoint() {
    JsonNode paths =
        GatewayClient.json(client.send(client.authorized("/v3/api-docs").GET())).get("paths");

    JsonNode responses =
        paths.get("/api/v1/backups/{id}/restore-source").get("post").get("responses");
    assertThat(responses.has("202")).isTrue();
    assertThat(responses.has("400")).isTrue();
    assertThat(responses.has("409")).isTrue();
  }

  static void assertProblem(HttpResponse<String> response, int status, String field, String text) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("detail").asString()).contains(text);
    if (field != null) {
      assertThat(problem.get("field").asString()).isEqualTo(field);
    }
  }
}
