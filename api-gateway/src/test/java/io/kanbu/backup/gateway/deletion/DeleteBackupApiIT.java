package io.kanbu.backup.gateway.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.access.ApiTokens;
import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.access.UserAccounts;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code DELETE /api/v1/backups/{id}} over real HTTP, on a catalog of its own and the real broker.
 * No worker runs here: the test checks the refusals, the job the gateway queues and publishes, and
 * the audit row; the deletion itself is {@code ReplicationWorkerIT}'s in backup-worker.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteBackupApiIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own database. */
  static final String DATABASE =
      "kanbu_it_delete_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  static final String TARGET = "delete-" + GatewayTestEnvironment.randomHex(4);
  static final String LONE_TARGET = "lone-" + GatewayTestEnvironment.randomHex(4);

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired BackupCopyRepository copies;
  @Autowired TransactionTemplate transactions;
  @Autowired UserAccounts accounts;
  @Autowired ApiTokens tokens;
  @Autowired JdbcTemplate jdbc;

  GatewayClient client;
  BackupJob made;
  BackupRecord pinned;
  BackupRecord inUse;
  BackupJob verifying;
  BackupRecord deleted;
  BackupRecord lone;

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            TARGET,
            TriggerSource.API,
            "delete-it",
            null,
            3,
            now);
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(made));
    pinned = backup(TARGET, now);
    pinned.pin("delete-it", now);
    inUse = backup(TARGET, now);
    deleted = backup(TARGET, now);
    deleted.markDeleted(made.getId(), "delete: beyond keepLast=1", now);
    lone = backup(LONE_TARGET, now);
    lone.recordDrill(true, 1.5, null, now);
    backups.saveAll(List.of(pinned, inUse, deleted, lone));
    copies.save(BackupCopy.primaryOf(lone, now));
    verifying =
        BackupJob.queuedFor(
            inUse.getId(),
            UUID.randomUUID(),
            JobType.VERIFY,
            TARGET,
            TriggerSource.API,
            "delete-it",
            null,
            3,
            now);
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(verifying));
  }

  BackupRecord backup(String target, Instant createdAt) {
    UUID id = UUID.randomUUID();
    String name = "kanbu_backup_d_" + id + ".sql.gz";
    String key = target + "/database/" + name;
    String digest = "d".repeat(64);
    return BackupRecord.available(
        id,
        made.getId(),
        target,
        BackupKind.DATABASE,
        new BackupRecord.Location("local", key, name, key + ".manifest.json"),
        new BackupRecord.Content(10, 10, 10, digest, digest, "gzip", false, null, "16.4", "16.4"),
        createdAt);
  }

  HttpResponse<String> delete(UUID id) {
    return client.send(client.authorized("/api/v1/backups/" + id).DELETE());
  }

  @Test
  void unknownBackup_is404() {
    HttpResponse<String> response = delete(UUID.randomUUID());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("does not exist");
  }

  @Test
  void pinnedBackup_is409_sayingToUnpinItFirst() {
    HttpResponse<String> response = delete(pinned.getId());

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body())
        .contains("backup '" + pinned.getId() + "' is pinned: unpin it first");
    assertNoDeleteJob(pinned.getId());
  }

  @Test
  void backupAQueuedJobUses_is409_namingThatJob() {
    HttpResponse<String> response = delete(inUse.getId());

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body())
        .contains("in use by VERIFY job '" + verifying.getId() + "' (QUEUED)");
    assertNoDeleteJob(inUse.getId());
  }

  @Test
  void deletedBackup_is410() {
    HttpResponse<String> response = delete(deleted.getId());

    assertThat(response.statusCode()).isEqualTo(410);
    assertThat(response.body()).contains("was deleted already");
    assertNoDeleteJob(deleted.getId());
  }

  @Test
  void operator_isForbidden_andNothingIsQueued() {
    String operator =
        tokens
            .issue(
                accounts
                    .create(
                        "operator-" + UUID.randomUUID(),
                        "a long enough password " + UUID.randomUUID(),
                        Role.OPERATOR,
                        "test")
                    .getId(),
                "test",
                Role.OPERATOR,
                null)
            .secret();

    HttpResponse<String> response =
        client.send(
            client
                .request("/api/v1/backups/" + lone.getId())
                .header("Authorization", "Bearer " + operator)
                .DELETE());

    assertThat(response.statusCode()).isEqualTo(403);
    assertNoDeleteJob(lone.getId());
  }

  @Test
  void preview_saysWhatIsLost_andWhyAPinnedBackupCannotGo() {
    JsonNode preview =
        GatewayClient.json(
            client.send(client.authorized("/api/v1/backups/" + lone.getId() + "/deletion").GET()));
    assertThat(preview.get("backup").get("fileName").asString()).isEqualTo(lone.getFileName());
    assertThat(preview.get("copies").get(0).get("storage").asString()).isEqualTo("local");
    assertThat(preview.get("refusal").isNull()).isTrue();
    assertThat(preview.get("warnings").toString())
        .contains("newest verified-restorable backup of target '" + LONE_TARGET + "'")
        .contains("only available database backup of target '" + LONE_TARGET + "'");

    JsonNode refused =
        GatewayClient.json(
            client.send(
                client.authorized("/api/v1/backups/" + pinned.getId() + "/deletion").GET()));
    assertThat(refused.get("refusal").asString()).contains("is pinned: unpin it first");
  }

  @Test
  void admin_gets202WithTheQueuedJob_publishedAndAudited_andASecondDeleteIs409() {
    BackupRecord doomed = backups.save(backup(TARGET, Instant.now()));

    HttpResponse<String> response = delete(doomed.getId());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("DELETE_BACKUP");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
    assertThat(job.get("target").asString()).isEqualTo(TARGET);
    UUID jobId = UUID.fromString(job.get("id").asString());
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);
    BackupJob row = jobs.findById(jobId).orElseThrow();
    assertThat(row.getBackupId()).isEqualTo(doomed.getId());
    assertThat(row.getLockKey()).as("never beside a rekey").isEqualTo("storage:rekey");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
    Map<String, Object> audit =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    jdbc
                        .queryForList(
                            "SELECT actor, outcome, http_status, target FROM audit_event"
                                + " WHERE action = 'DELETE /api/v1/backups/{id}' AND target = ?",
                            "id=" + doomed.getId())
                        .stream()
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(audit)
        .containsEntry("actor", "api-key")
        .containsEntry("outcome", "SUCCESS")
        .containsEntry("http_status", 202);

    HttpResponse<String> again = delete(doomed.getId());

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("DELETE_BACKUP job '" + jobId + "'");
  }

  void assertNoDeleteJob(UUID backupId) {
    assertThat(jobs.findAll())
        .noneMatch(j -> j.getType() == JobType.DELETE_BACKUP && backupId.equals(j.getBackupId()));
  }
}
