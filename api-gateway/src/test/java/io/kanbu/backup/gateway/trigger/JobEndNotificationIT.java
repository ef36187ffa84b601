package io.kanbu.backup.gateway.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.gateway.support.CommandQueue;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.WorkerStandIn;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A waiting request answers when the catalog announces its job's end, not at its next look: the
 * looks are an hour apart here, so only the announcement can end these waits in time.
 */
class JobEndNotificationIT extends GatewayIntegrationTest {

  private static final String TRIGGER = "/api/backup/trigger";

  @DynamicPropertySource
  static void looksAnHourApart(DynamicPropertyRegistry registry) {
    registry.add("kanbu.trigger.wait-poll-interval", () -> "1h");
  }

  @Autowired JobEndNotifications jobEnds;
  @Autowired BackupJobRepository jobs;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcTemplate jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;

  private GatewayClient client;
  private CommandQueue queue;

  @BeforeEach
  void setUp() {
    client = new GatewayClient(port);
    queue = new CommandQueue(rabbit, admin);
    await().atMost(Duration.ofSeconds(20)).until(jobEnds::isListening);
  }

  @AfterEach
  void leaveNoCommandsForOtherModulesWorkers() {
    queue.purge();
  }

  @Test
  void waitingTrigger_answersAsSoonAsItsJobSucceeds() throws Exception {
    String key = "it-notify-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<String>> waiting = waitFor(key);
    WorkerStandIn worker = new WorkerStandIn(jobs, transactions, "it-worker");
    UUID jobId = worker.claimJobOf(key);

    Instant ended = Instant.now();
    worker.succeed(jobId);

    HttpResponse<String> response = waiting.get(20, TimeUnit.SECONDS);
    assertThat(Duration.between(ended, Instant.now()))
        .as("answered on the announcement, not at the next look an hour later")
        .isLessThan(Duration.ofSeconds(20));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("id").asString()).isEqualTo(jobId.toString());
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void subscription_hearsTheEndOfItsJobOnly_andOnlyEndStatuses() throws Exception {
    String key = "it-notify-sub-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<String>> waiting = waitFor(key);
    UUID jobId = new WorkerStandIn(jobs, transactions, "it-worker").claimJobOf(key);
    UUID otherJob = UUID.randomUUID();

    try (JobEndNotifications.Subscription mine = jobEnds.subscribe(jobId);
        JobEndNotifications.Subscription other = jobEnds.subscribe(otherJob)) {
      // a status written but unchanged (RUNNING → RUNNING) is no end
      assertThat(jdbc.update("UPDATE backup_job SET status = status WHERE id = ?", jobId))
          .isEqualTo(1);
      assertThat(mine.awaitAnnouncement(Duration.ofMillis(500))).isFalse();

      transactions.executeWithoutResult(
          tx -> {
            BackupJob job = jobs.findById(jobId).orElseThrow();
            job.fail("it: failed on purpose", Instant.now());
            jobs.save(job);
          });

      assertThat(mine.awaitAnnouncement(Duration.ofSeconds(20))).isTrue();
      assertThat(other.awaitAnnouncement(Duration.ofMillis(200))).isFalse();
    }
    HttpResponse<String> response = waiting.get(20, TimeUnit.SECONDS);
    assertThat(GatewayClient.json(response).get("status").asString()).isEqualTo("FAILED");
  }

  private CompletableFuture<HttpResponse<String>> waitFor(String idempotencyKey) {
    return CompletableFuture.supplyAsync(
        () ->
            client.send(
                client
                    .postJson(
                        TRIGGER + "?wait=600", "{\"type\":\"database\",\"target\":\"wait-test\"}")
                    .header("Idempotency-Key", idempotencyKey)));
  }
}
