package io.kanbu.backup.gateway.rekey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
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
 * The rekey endpoints over real HTTP, on a catalog of their own and the real broker. No worker runs
 * here: the test checks the jobs the gateway creates and publishes; the worker's side is {@code
 * RekeyWorkerIT} in backup-worker.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RekeyApiIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own database. */
  static final String DATABASE =
      "kanbu_it_rekey_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  static final String TARGET = "rekey-" + GatewayTestEnvironment.randomHex(4);

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;

  GatewayClient client;
  BackupRecord encrypted;
  BackupRecord plain;
  BackupRecord missing;

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    BackupJob made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            TARGET,
            TriggerSource.API,
            "rekey-it",
            null,
            3,
            now);
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(made));
    encrypted = backup(made, "ops-2026", now);
    plain = backup(made, null, now);
    missing = backup(made, "ops-2026", now);
    missing.markMissing();
    backups.saveAll(List.of(encrypted, plain, missing));
  }

  static BackupRecord backup(BackupJob job, String keyId, Instant createdAt) {
    UUID id = UUID.randomUUID();
    String name = "kanbu_backup_r_" + id + (keyId == null ? ".sql.gz" : ".sql.gz.enc");
    String key = TARGET + "/database/" + name;
    String digest = "c".repeat(64);
    return BackupRecord.available(
        id,
        job.getId(),
        TARGET,
        BackupKind.DATABASE,
        new BackupRecord.Location("local", key, name, key + ".manifest.json"),
        new BackupRecord.Content(
            10, 10, 10, digest, digest, "gzip", keyId != null, keyId, "16.4", "16.4"),
        createdAt);
  }

  HttpResponse<String> post(String path) {
    return client.send(client.authorized(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  void assertQueuedAndPublished(HttpResponse<String> response, UUID backupId, String target) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("REKEY");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    assertThat(job.get("target").asString()).isEqualTo(target);
    UUID jobId = UUID.fromString(job.get("id").asString());
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
    BackupJob row = jobs.findById(jobId).orElseThrow();
    assertThat(row.getBackupId()).isEqualTo(backupId);
    assertThat(row.getLockKey()).as("rekeys never run side by side").isEqualTo("storage:rekey");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
  }

  @Test
  void rekeyOfEveryBackup_answers202WithAQueuedRekeyJob_withoutABackup_andPublishesIt() {
    assertQueuedAndPublished(post("/api/v1/backups/rekey"), null, "storage");
  }

  @Test
  void rekeyOfOneBackup_answers202WithAQueuedRekeyJob_forThatBackupAndItsTarget() {
    assertQueuedAndPublished(
        post("/api/v1/backups/" + encrypted.getId() + "/rekey"), encrypted.getId(), TARGET);
  }

  @Test
  void rekeyOfOneBackup_unknownIs404_missingOrUnencryptedIs409() {
    assertThat(post("/api/v1/backups/" + UUID.randomUUID() + "/rekey").statusCode()).isEqualTo(404);
    HttpResponse<String> gone = post("/api/v1/backups/" + missing.getId() + "/rekey");
    assertThat(gone.statusCode()).isEqualTo(409);
    assertThat(gone.body()).contains("MISSING");
    HttpResponse<String> unencrypted = post("/api/v1/backups/" + plain.getId() + "/rekey");
    assertThat(unencrypted.statusCode()).isEqualTo(409);
    assertThat(unencrypted.body()).contains("not encrypted");
    assertThat(jobs.findAll())
        .noneMatch(
            j ->
                j.getType() == JobType.REKEY
                    && (plain.getId().equals(j.getBackupId())
                        || missing.getId().equals(j.getBackupId())));
  }

  @Test
  void rekeyEndpoints_needTheKey() {
    for (String path :
        List.of("/api/v1/backups/rekey", "/api/v1/backups/" + encrypted.getId() + "/rekey")) {
      HttpResponse<String> response =
          client.send(client.request(path).POST(HttpRequest.BodyPublishers.noBody()));

      assertThat(response.statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void openApi_documentsBothEndpoints() {
    HttpResponse<String> response = client.send(client.authorized("/v3/api-docs").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode paths = GatewayClient.json(response).get("paths");
    assertThat(paths.has("/api/v1/backups/rekey")).isTrue();
    assertThat(paths.get("/api/v1/backups/{id}/rekey").get("post").get("responses").has("409"))
        .isTrue();
  }
}
