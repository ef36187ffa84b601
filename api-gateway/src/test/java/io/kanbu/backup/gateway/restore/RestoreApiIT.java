package io.kanbu.backup.gateway.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.CommandQueue;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.TargetBlocker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/backups/{id}/restore} over real HTTP: the typed confirmation, the refusals
 * that queue nothing, and the job and command of an accepted request. No worker runs here; the
 * worker's side is {@code RestoreWorkerIT}. Target {@code alpha} is configured with database {@code
 * alpha} by {@link GatewayTestEnvironment}.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreApiIT {

  static final String DATABASE = "kanbu_restore_test_gateway";

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;

  GatewayClient client;
  BackupRecord backup;

  @BeforeAll
  void catalog() {
    client = new GatewayClient(port);
    Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
    BackupJob made =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "alpha",
            TriggerSource.API,
            "restore-it",
            null,
            3,
            base);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(made);
          jobs.markPublished(made.getId(), base);
        });
    UUID id = UUID.randomUUID();
    String name = "kanbu_backup_r_" + id.toString().substring(0, 8) + ".sql.gz";
    backup =
        backups.save(
            BackupRecord.available(
                id,
                made.getId(),
                "alpha",
                BackupKind.DATABASE,
                new BackupRecord.Location("local", "alpha/database/" + name, name, null),
                new BackupRecord.Content(
                    300,
                    100,
                    100,
                    "a".repeat(64),
                    "a".repeat(64),
                    "gzip",
                    false,
                    null,
                    "15.4",
                    "15.4"),
                base));
  }

  HttpResponse<String> restore(UUID backupId, String json) {
    return client.send(
        client
            .postJson("/api/v1/backups/" + backupId + "/restore", json)
            .header("X-Requested-By", "alice@ops"));
  }

  long restoreJobs() {
    return jobs.findAll().stream().filter(j -> j.getType() == JobType.RESTORE_DATABASE).count();
  }

  @Test
  void wrongConfirmation_is400ProblemJson_andQueuesNothing() {
    long before = restoreJobs();

    HttpResponse<String> response = restore(backup.getId(), "{\"confirm\":\"alpah\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("'alpha'").contains("nothing was queued");
    assertThat(restoreJobs()).isEqualTo(before);
  }

  @Test
  void confirmationMustNameTheOtherDatabase_whenRestoringIntoOne() {
    long before = restoreJobs();

    HttpResponse<String> response =
        restore(backup.getId(), "{\"database\":\"alpha_copy\",\"confirm\":\"alpha\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("'alpha_copy'");
    assertThat(restoreJobs()).isEqualTo(before);
  }

  @Test
  void unknownBackup_is404() {
    HttpResponse<String> response = restore(UUID.randomUUID(), "{\"confirm\":\"alpha\"}");

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void skippingTheSafetyBackupWithoutAReason_is400() {
    HttpResponse<String> response =
        restore(backup.getId(), "{\"confirm\":\"alpha\",\"skipSafetyBackup\":{\"reason\":\" \"}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("reason");
  }

  @Test
  void confirmedRequest_is202_withAQueuedRestoreJob_andItsCommand() {
    CommandQueue queue = new CommandQueue(rabbit, admin);

    HttpResponse<String> response =
        restore(
            backup.getId(),
            "{\"database\":\"alpha_copy\",\"confirm\":\"alpha_copy\",\"terminateConnections\":true,"
                + "\"skipSafetyBackup\":{\"reason\":\"fresh scratch copy\"}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("jobId").asText());
    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getType()).isEqualTo(JobType.RESTORE_DATABASE);
    assertThat(job.getBackupId()).isEqualTo(backup.getId());
    assertThat(job.getRequestedBy()).isEqualTo("alice@ops");
    assertThat(job.getRestoreDetails())
        .isEqualTo(new BackupJob.RestoreDetails("alpha_copy", true, "fresh scratch copy"));
    BackupCommand command =
        new MessageCodec()
            .decodeCommand(queue.firstCommandOf(jobId, Duration.ofSeconds(10)).getBody());
    assertThat(command.type()).isEqualTo(JobType.RESTORE_DATABASE);
    assertThat(command.backupId()).isEqualTo(backup.getId());
    assertThat(command.database()).isEqualTo("alpha_copy");
    assertThat(command.terminatesConnections()).isTrue();
    assertThat(command.safetyBackupWaiver()).isEqualTo("fresh scratch copy");
    assertThat(command.requestedBy()).isEqualTo("alice@ops");
    HttpResponse<String> shown = client.send(client.authorized("/api/v1/jobs/" + jobId));
    assertThat(GatewayClient.json(shown).get("restore").get("safetyBackupWaiver").asText())
        .isEqualTo("fresh scratch copy");
  }

  @Test
  void targetBusyWithARunningJob_is409_andQueuesNothing() {
    long before = restoreJobs();
    try (TargetBlocker blocker = new TargetBlocker(jobs, transactions, "alpha")) {
      HttpResponse<String> response = restore(backup.getId(), "{\"confirm\":\"alpha\"}");

      assertThat(response.statusCode()).isEqualTo(409);
      assertThat(response.body()).contains("running on target 'alpha'");
      assertThat(restoreJobs()).isEqualTo(before);
    }
  }

  @Test
  void drillRequest_queuesAVerifyDrill_andTheBackupShowsItsLastDrill() {
    CommandQueue queue = new CommandQueue(rabbit, admin);

    HttpResponse<String> response =
        client.send(
            client
                .authorized("/api/v1/backups/" + backup.getId() + "/verify?drill=true")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("id").asText());
    assertThat(jobs.findById(jobId).orElseThrow().isDrill()).isTrue();
    BackupCommand command =
        new MessageCodec()
            .decodeCommand(queue.firstCommandOf(jobId, Duration.ofSeconds(10)).getBody());
    assertThat(command.type()).isEqualTo(JobType.VERIFY);
    assertThat(command.drillRequested()).isTrue();

    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    transactions.executeWithoutResult(
        tx -> backups.findById(backup.getId()).orElseThrow().recordDrill(true, 4.25, null, at));
    var shown =
        GatewayClient.json(client.send(client.authorized("/api/v1/backups/" + backup.getId())));
    assertThat(shown.get("lastDrill").get("passed").asBoolean()).isTrue();
    assertThat(shown.get("lastDrill").get("seconds").asDouble()).isEqualTo(4.25);
  }
}
