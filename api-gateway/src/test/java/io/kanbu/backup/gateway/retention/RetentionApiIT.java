package io.kanbu.backup.gateway.retention;

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
import io.kanbu.backup.model.catalog.RetentionPolicyRepository;
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
import org.junit.jupiter.api.BeforeEach;
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
 * Retention policies, previews, pins and prune jobs over real HTTP, on a catalog of their own and
 * the real broker. No worker runs here; {@code PruneWorkerIT} proves the deletions.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionApiIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own database. */
  static final String DATABASE =
      "kanbu_it_retention_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  static final String POLICY = "/api/v1/retention/policies/default/database";

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired RetentionPolicyRepository policies;
  @Autowired TransactionTemplate transactions;

  GatewayClient client;
  final List<BackupRecord> newestFirst = new ArrayList<>();

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    BackupJob made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.API,
            "retention-it",
            null,
            3,
            now);
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(made));
    for (int daysAgo = 0; daysAgo < 4; daysAgo++) {
      newestFirst.add(backup(made, now.minus(Duration.ofDays(daysAgo))));
    }
    backups.saveAll(newestFirst);
  }

  @BeforeEach
  void noPolicyNoPins() {
    policies.deleteAll();
    for (BackupRecord b : newestFirst) {
      client.send(client.authorized("/api/v1/backups/" + b.getId() + "/pin").DELETE());
    }
  }

  static BackupRecord backup(BackupJob job, Instant createdAt) {
    UUID id = UUID.randomUUID();
    String name = "kanbu_backup_ret_" + id + ".sql.gz";
    String key = "default/database/" + name;
    String digest = "d".repeat(64);
    return BackupRecord.available(
        id,
        job.getId(),
        "default",
        BackupKind.DATABASE,
        new BackupRecord.Location("local", key, name, key + ".manifest.json"),
        new BackupRecord.Content(10, 10, 10, digest, digest, "gzip", false, null, "15", "15"),
        createdAt);
  }

  HttpResponse<String> put(String path, String json) {
    return client.send(client.putJson(path, json));
  }

  HttpResponse<String> post(String path) {
    return client.send(client.postEmpty(path));
  }

  @Test
  void aPolicy_isSetReadListedAndRemoved() {
    HttpResponse<String> set =
        put(
            POLICY,
            "{\"keepLast\":2,\"keepDaily\":7,\"keepWithin\":\"P3D\",\"timeZone\":\"Europe/Amsterdam\"}");

    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    JsonNode view = GatewayClient.json(set);
    assertThat(view.get("describe").asString())
        .isEqualTo("keepLast=2, keepDaily=7, keepWithin=PT72H");
    assertThat(view.get("timeZone").asString()).isEqualTo("Europe/Amsterdam");
    assertThat(
            GatewayClient.json(client.send(client.authorized(POLICY).GET()))
                .get("keepDaily")
                .asInt())
        .isEqualTo(7);
    assertThat(client.send(client.authorized("/api/v1/retention/policies").GET()).body())
        .contains("\"kind\":\"DATABASE\"");

    assertThat(client.send(client.authorized(POLICY).DELETE()).statusCode()).isEqualTo(204);
    assertThat(client.send(client.authorized(POLICY).GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void theOriginalsFields_areAccepted() {
    HttpResponse<String> set =
        put(POLICY, "{\"retentionDays\":30,\"keepDaily\":7,\"keepWeekly\":4,\"keepMonthly\":3}");

    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(GatewayClient.json(set).get("keepWithin").asString()).isEqualTo("P30D");
  }

  @Test
  void invalidPolicies_are400_namingTheField() {
    assertField(put(POLICY, "{\"keepDaily\":-2}"), "keepDaily");
    assertField(put(POLICY, "{\"keepDaily\":7,\"timeZone\":\"Mars/Olympus\"}"), "timeZone");
    assertField(put(POLICY, "{\"keepWithin\":\"a week\"}"), "keepWithin");
    assertField(put(POLICY, "{}"), "keepLast");
    assertField(put("/api/v1/retention/policies/default/logs", "{\"keepLast\":1}"), "kind");
    assertField(put("/api/v1/retention/policies/nowhere/database", "{\"keepLast\":1}"), "target");
    assertThat(policies.findAll()).isEmpty();
  }

  void assertField(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("field").asString()).isEqualTo(field);
  }

  @Test
  void preview_saysForEveryBackupWhatThePolicyDoesAndWhy() {
    post("/api/v1/backups/" + newestFirst.get(2).getId() + "/pin");
    put(POLICY, "{\"keepLast\":1}");

    HttpResponse<String> response =
        client.send(
            client.authorized("/api/v1/retention/preview?target=default&kind=database").GET());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode preview = GatewayClient.json(response);
    assertThat(preview.get("keep").asInt()).isEqualTo(2);
    assertThat(preview.get("delete").asInt()).isEqualTo(2);
    JsonNode entries = preview.get("backups");
    assertThat(entries.get(0).get("id").asString())
        .isEqualTo(newestFirst.get(0).getId().toString());
    assertThat(entries.get(0).get("reason").asString()).isEqualTo("kept: last, newest");
    assertThat(entries.get(1).get("reason").asString()).isEqualTo("delete: beyond keepLast=1");
    assertThat(entries.get(2).get("reason").asString()).isEqualTo("kept: pinned");
    assertThat(entries.get(3).get("decision").asString()).isEqualTo("delete");
  }

  @Test
  void preview_withoutAPolicy_is404_sayingHowToSetOne() {
    HttpResponse<String> response =
        client.send(client.authorized("/api/v1/retention/preview?kind=source").GET());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("PUT /api/v1/retention/policies/default/source");
  }

  @Test
  void pins_areSetAndRemoved_andOnlyOnAvailableBackups() {
    UUID id = newestFirst.get(1).getId();

    HttpResponse<String> pinned = post("/api/v1/backups/" + id + "/pin");

    assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
    assertThat(GatewayClient.json(pinned).get("pinned").asBoolean()).isTrue();
    assertThat(backups.findById(id).orElseThrow().getPinnedBy()).isNotNull();
    HttpResponse<String> unpinned =
        client.send(client.authorized("/api/v1/backups/" + id + "/pin").DELETE());
    assertThat(GatewayClient.json(unpinned).get("pinned").asBoolean()).isFalse();
    assertThat(post("/api/v1/backups/" + UUID.randomUUID() + "/pin").statusCode()).isEqualTo(404);
  }

  @Test
  void prune_queuesAPruneJobOfTheTarget_andPublishesIt() {
    HttpResponse<String> response = post("/api/v1/retention/prune?target=default");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("id").asString());
    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getType()).isEqualTo(JobType.PRUNE);
    assertThat(job.getLockKey()).isEqualTo("storage:prune");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.findById(jobId).orElseThrow().getPublishedAt() != null);
  }

  @Test
  void retentionEndpoints_needTheKey() {
    assertThat(client.send(client.request(POLICY).GET()).statusCode()).isEqualTo(401);
    assertThat(
            client
                .send(
                    client
                        .request("/api/v1/backups/" + newestFirst.get(0).getId() + "/pin")
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(401);
  }
}
