package io.kanbu.backup.gateway.verification;

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
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * The verification endpoints over real HTTP, on a catalog of their own (so the counts are exact)
 * and the real broker. No worker runs here: the test checks the jobs and commands the gateway
 * creates; the worker's side is {@code EncryptedBackupAndVerifyIT} in backup-worker.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerificationApiIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own database. */
  static final String DATABASE =
      "kanbu_it_v_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  static final String TARGET = "verify-" + GatewayTestEnvironment.randomHex(4);

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;

  BackupRecord verified;
  BackupRecord failed;
  BackupRecord pending;
  BackupRecord missing;
  GatewayClient client;

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    transactions.executeWithoutResult(
        tx -> {
          jobs.deleteAllInBatch(
              jobs.findAll().stream().filter(j -> j.getType() == JobType.VERIFY).toList());
          backups.deleteAllInBatch();
        });
    Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
    BackupJob made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            TARGET,
            TriggerSource.API,
            "verification-it",
            null,
            3,
            base);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(made);
          jobs.markPublished(made.getId(), base);
        });
    verified = backup(made, base.plusSeconds(1), true);
    verified.importedLegacyAt(base.plusSeconds(60)); // a file of the original Kanbu, read in full

    failed = backup(made, base.plusSeconds(2), false);
    failed.markVerifyFailed("stored sha256 check failed: object is damaged", base.plusSeconds(61));
    pending = backup(made, base.plusSeconds(3), true);
    missing = backup(made, base.plusSeconds(4), false);
    missing.markMissing();
    backups.saveAll(List.of(verified, failed, pending, missing));
  }

  static BackupRecord backup(BackupJob job, Instant createdAt, boolean encrypted) {
    UUID id = UUID.randomUUID();
    String name =
        "kanbu_backup_x_" + id.toString().substring(0, 8) + ".sql.gz" + (encrypted ? ".enc" : "");
    return BackupRecord.available(
        id,
        job.getId(),
        job.getTarget(),
        BackupKind.DATABASE,
        new BackupRecord.Location(
            "local",
            TARGET + "/database/" + name,
            name,
            TARGET + "/database/" + name + ".manifest.json"),
        new BackupRecord.Content(
            300,
            100,
            encrypted ? 196 : 100,
            "a".repeat(64),
            encrypted ? "b".repeat(64) : "a".repeat(64),
            "gzip",
            encrypted,
            encrypted ? "ops-2026" : null,
            "16.4",
            "16.4"),
        createdAt);
  }

  HttpResponse<String> post(String path) {
    return client.send(client.authorized(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void verifyOneBackup_answers202WithAQueuedVerifyJob_thatCarriesTheBackupAndIsPublished() {
    HttpResponse<String> response = post("/api/v1/backups/" + pending.getId() + "/verify");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("VERIFY");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    assertThat(job.get("target").asString()).isEqualTo(TARGET);
    UUID jobId = UUID.fromString(job.get("id").asString());
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
    BackupJob row = jobs.findById(jobId).orElseThrow();
    assertThat(row.getBackupId()).isEqualTo(pending.getId());
    assertThat(row.getLockKey()).as("VERIFY takes no target lock").isNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
  }

  @Test
  void verifyOneBackup_thatDoesNotExist_is404_andOneThatIsMissing_is409() {
    assertThat(post("/api/v1/backups/" + UUID.randomUUID() + "/verify").statusCode())
        .isEqualTo(404);
    HttpResponse<String> gone = post("/api/v1/backups/" + missing.getId() + "/verify");
    assertThat(gone.statusCode()).isEqualTo(409);
    assertThat(gone.body()).contains("MISSING");
  }

  @Test
  void verifyEndpoints_needTheKey() {
    for (String path : List.of("/api/v1/backups/verify", "/api/v1/backups/rescan")) {
      HttpResponse<String> response =
          client.send(client.request(path).POST(HttpRequest.BodyPublishers.noBody()));

      assertThat(response.statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void rescan_answers202WithAQueuedRescanJob_holdingTheRescanLock_andPublishesIt() {
    HttpResponse<String> response = post("/api/v1/backups/rescan");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("RESCAN");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    UUID jobId = UUID.fromString(job.get("id").asString());
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
    assertThat(jobs.findById(jobId).orElseThrow().getLockKey()).isEqualTo("storage:rescan");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
  }

  @Test
  void verifyAll_queuesOneJobPerUnverifiedAvailableBackup_andSkipsThoseAlreadyQueued() {
    HttpResponse<String> response = post("/api/v1/backups/verify");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode body = GatewayClient.json(response);
    List<UUID> backupIds = new ArrayList<>();
    body.get("jobIds")
        .forEach(
            id ->
                backupIds.add(
                    jobs.findById(UUID.fromString(id.asString())).orElseThrow().getBackupId()));
    // pending may already have a queued job from the single-verify test, which is then skipped
    assertThat(backupIds)
        .contains(failed.getId())
        .doesNotContain(verified.getId(), missing.getId());
    assertThat(body.get("count").asInt()).isEqualTo(backupIds.size());

    HttpResponse<String> again = post("/api/v1/backups/verify");
    assertThat(GatewayClient.json(again).get("count").asInt())
        .as("every unverified backup has a queued VERIFY job now")
        .isZero();
    assertThat(
            jobs.existsByTypeAndBackupIdAndStatusIn(
                JobType.VERIFY, pending.getId(), List.of(JobStatus.QUEUED)))
        .isTrue();
  }

  @Test
  void stats_countTheAvailableBackupsByVerificationState() {
    HttpResponse<String> response = client.send(client.authorized("/api/v1/backups/stats").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode stats = GatewayClient.json(response);
    assertThat(stats.get("total").asLong()).isEqualTo(3);
    assertThat(stats.get("verified").asLong()).isEqualTo(1);
    assertThat(stats.get("pending").asLong()).isEqualTo(1);
    assertThat(stats.get("failed").asLong()).isEqualTo(1);
    assertThat(stats.get("noChecksum").asLong()).as("the legacy import").isEqualTo(1);
  }

  @Test
  void backupJson_showsVerificationAndEncryption() {
    JsonNode good =
        GatewayClient.json(
            client.send(client.authorized("/api/v1/backups/" + verified.getId()).GET()));
    JsonNode bad =
        GatewayClient.json(
            client.send(client.authorized("/api/v1/backups/" + failed.getId()).GET()));

    assertThat(good.get("encrypted").asBoolean()).isTrue();
    assertThat(good.get("keyId").asString()).isEqualTo("ops-2026");
    assertThat(good.get("verifiedAt").asString()).isNotBlank();
    assertThat(good.get("verifyError").isNull()).isTrue();
    assertThat(good.get("fileName").asString()).endsWith(".sql.gz.enc");
    assertThat(bad.get("encrypted").asBoolean()).isFalse();
    assertThat(bad.get("keyId").isNull()).isTrue();
    assertThat(bad.get("verifiedAt").isNull()).isTrue();
    assertThat(bad.get("verifyError").asString()).startsWith("stored sha256 check failed");
    assertThat(good.get("legacy").asBoolean()).isTrue();
    assertThat(good.get("adoptedAt").asString()).isNotBlank();
    assertThat(bad.get("legacy").asBoolean()).isFalse();
    assertThat(bad.get("adoptedAt").isNull()).isTrue();
  }
}
