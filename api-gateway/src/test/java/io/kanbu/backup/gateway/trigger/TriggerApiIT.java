package io.kanbu.backup.gateway.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.CommandQueue;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.gateway.support.WorkerStandIn;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The trigger over real HTTP, against the real catalog and broker. */
class TriggerApiIT extends GatewayIntegrationTest {

  private static final String TRIGGER = "/api/backup/trigger";
  private static final String DATABASE = "{\"type\":\"database\"}";

  @Autowired BackupJobRepository jobs;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired TransactionTemplate transactions;

  private final MessageCodec codec = new MessageCodec();
  private GatewayClient client;
  private CommandQueue queue;
  private static CommandQueue lastQueue;

  @BeforeEach
  void setUp() {
    client = new GatewayClient(port);
    queue = new CommandQueue(rabbit, admin);
    lastQueue = queue;
  }

  @AfterAll
  static void leaveNoCommandsForOtherModulesWorkers() {
    if (lastQueue != null) {
      lastQueue.purge();
    }
  }

  @Test
  void noKey_isRejectedWith401Problem_andCreatesNoJob() {
    long before = jobs.count();

    HttpResponse<String> response =
        client.send(
            client
                .request(TRIGGER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DATABASE)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertProblemJson(response);
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("title").asString()).isEqualTo("unauthorized");
    assertThat(problem.get("detail").asString()).contains("no API key given", "X-Backup-Key");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    assertThat(jobs.count()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Authorization", "X-Backup-Key"})
  void wrongKey_isRejectedWith401_inBothHeaderForms(String header) {
    long before = jobs.count();
    String value = header.equals("Authorization") ? "Bearer not-the-key" : "not-the-key";

    HttpResponse<String> response =
        client.send(
            client
                .request(TRIGGER)
                .header(header, value)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DATABASE)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertProblemJson(response);
    assertThat(GatewayClient.json(response).get("detail").asString()).contains("wrong");
    assertThat(response.body()).doesNotContain(GatewayTestEnvironment.API_KEY);
    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void bearerKey_queuesJob_andPublishesSchemaValidCommandWithJobIdAsMessageId() {
    queue.purge();

    HttpResponse<String> response = client.send(client.postJson(TRIGGER, DATABASE));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = GatewayClient.json(response);
    UUID jobId = UUID.fromString(body.get("jobId").asString());
    assertThat(body.get("status").asString()).isEqualTo("QUEUED");
    assertThat(body.get("statusUrl").asString()).isEqualTo("/api/v1/jobs/" + jobId);
    assertThat(response.headers().firstValue("Location")).contains("/api/v1/jobs/" + jobId);

    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getType()).isEqualTo(JobType.BACKUP_DATABASE);
    assertThat(job.getTarget()).isEqualTo("default");
    assertThat(job.getTriggerSource()).isEqualTo(TriggerSource.API);
    assertThat(job.getRequestedBy()).isEqualTo("api-key");
    assertThat(job.getPublishedAt()).as("broker confirmed the command").isNotNull();

    Message message = queue.firstCommandOf(jobId, Duration.ofSeconds(10));
    assertThat(message)
        .as("command of job %s on %s", jobId, MessagingTopology.JOBS_QUEUE)
        .isNotNull();
    assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
    BackupCommand command = codec.decodeCommand(message.getBody());
    assertThat(command.jobId()).isEqualTo(jobId);
    assertThat(command.type()).isEqualTo(JobType.BACKUP_DATABASE);
    assertThat(command.target()).isEqualTo("default");
    assertThat(command.trigger()).isEqualTo(TriggerSource.API);
    assertThat(command.schemaVersion()).isEqualTo(BackupCommand.SCHEMA_VERSION);
  }

  @Test
  void backupKeyHeader_isAccepted_andKeepsASanitizedRequestedBy() {
    HttpResponse<String> response =
        client.send(
            client
                .request(TRIGGER)
                .header("X-Backup-Key", GatewayTestEnvironment.API_KEY)
                .header("X-Requested-By", "nightly cron (host-1); <script>")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"database\",\"target\":\"alpha\"}")));

    assertThat(response.statusCode()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("jobId").asString());
    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getTarget()).isEqualTo("alpha");
    assertThat(job.getRequestedBy()).isEqualTo("nightly cron _host-1__ _script_");
  }

  @ParameterizedTest(name = "{0} -> field {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":                 | body",
        "[\"database\"]             | body",
        "''                         | body",
        "{}                         | type",
        "{\"type\":\"tape\"}        | type",
        "{\"type\":42}              | type",
        "{\"type\":\"database\",\"target\":\"nope\"} | target",
        "{\"type\":\"database\",\"target\":\"../etc\"} | target",
        "{\"type\":\"database\",\"host\":\"evil\"} | host",
        "{\"type\":\"database\",\"type\":\"database\"} | body"
      })
  void badBody_isRejectedWith400NamingTheField_andCreatesNoJob(String body, String field) {
    long before = jobs.count();

    HttpResponse<String> response = client.send(client.postJson(TRIGGER, body));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertProblemJson(response);
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("field").asString()).isEqualTo(field);
    assertThat(problem.get("title").asString()).isEqualTo("invalid request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    String detail = problem.get("detail").asString();
    assertThat(detail).isNotBlank();
    assertThat(Character.isUpperCase(detail.charAt(0))).isFalse();
    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void jsonPostedAsAFormByPlainCurl_isAcceptedToo() {
    // `curl -H 'X-Backup-Key: ...' -d '{"type":"database"}' URL` sends no JSON content type.
    HttpResponse<String> response =
        client.send(
            client
                .request(TRIGGER + "?wait=0")
                .header("X-Backup-Key", GatewayTestEnvironment.API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"database\",\"target\":\"alpha\"}")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("target").asString()).isEqualTo("alpha");
    assertThat(job.get("status").asString()).isEqualTo("QUEUED");
  }

  @Test
  void anOversizedBody_isRejectedWith400() {
    String body = "{\"type\":\"database\",\"target\":\"" + "x".repeat(20_000) + "\"}";

    HttpResponse<String> response = client.send(client.postJson(TRIGGER, body));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("field").asString()).isEqualTo("body");
  }

  @Test
  void allType_queuesADatabaseAndASourceJob_asOneRecoveryPoint_andAKeyReplaysBoth() {
    String key = "it-all-" + UUID.randomUUID();

    HttpResponse<String> response =
        client.send(client.postJson(TRIGGER, "{\"type\":\"all\"}").header("Idempotency-Key", key));
    HttpResponse<String> again =
        client.send(client.postJson(TRIGGER, "{\"type\":\"all\"}").header("Idempotency-Key", key));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = GatewayClient.json(response);
    UUID recoveryPoint = UUID.fromString(body.get("recoveryPointId").asString());
    List<UUID> ids = new java.util.ArrayList<>();
    body.get("jobs").forEach(j -> ids.add(UUID.fromString(j.get("jobId").asString())));
    assertThat(ids).hasSize(2);
    BackupJob database = jobs.findById(ids.get(0)).orElseThrow();
    BackupJob source = jobs.findById(ids.get(1)).orElseThrow();
    assertThat(database.getType()).isEqualTo(JobType.BACKUP_DATABASE);
    assertThat(source.getType()).isEqualTo(JobType.BACKUP_SOURCE);
    assertThat(database.getRecoveryPointId()).isEqualTo(recoveryPoint);
    assertThat(source.getRecoveryPointId()).isEqualTo(recoveryPoint);
    assertThat(source.getPublishedAt()).as("broker confirmed the command").isNotNull();
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    List<String> replayed = new java.util.ArrayList<>();
    GatewayClient.json(again).get("jobs").forEach(j -> replayed.add(j.get("jobId").asString()));
    assertThat(replayed).containsExactly(ids.get(0).toString(), ids.get(1).toString());
  }

  @Test
  void unknownTarget_namesTheConfiguredTargets() {
    HttpResponse<String> response =
        client.send(client.postJson(TRIGGER, "{\"type\":\"database\",\"target\":\"nope\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("detail").asString())
        .contains("'nope'", "alpha", "default", "wait-test");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "3601", "1.5"})
  void badWait_isRejectedWith400NamingWait(String wait) {
    long before = jobs.count();

    HttpResponse<String> response =
        client.send(client.postJson(TRIGGER + "?wait=" + wait, DATABASE));

    assertThat(response.statusCode()).isEqualTo(400);
    assertProblemJson(response);
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("field").asString()).isEqualTo("wait");
    assertThat(problem.get("detail").asString()).contains("0 to 3600");
    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void overlongIdempotencyKey_isRejectedWith400() {
    HttpResponse<String> response =
        client.send(client.postJson(TRIGGER, DATABASE).header("Idempotency-Key", "k".repeat(201)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("field").asString()).isEqualTo("Idempotency-Key");
  }

  @Test
  void repeatedIdempotencyKey_returnsTheSameJob_withOneRowAndOneCommand() {
    queue.purge();
    String key = "it-" + UUID.randomUUID();

    HttpResponse<String> first =
        client.send(client.postJson(TRIGGER, DATABASE).header("Idempotency-Key", key));
    HttpResponse<String> second =
        client.send(client.postJson(TRIGGER, DATABASE).header("Idempotency-Key", key));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    String jobId = GatewayClient.json(first).get("jobId").asString();
    assertThat(GatewayClient.json(second).get("jobId").asString()).isEqualTo(jobId);
    assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(jobsWithKey(key)).isEqualTo(1);
    assertThat(queue.commandsOf(UUID.fromString(jobId), Duration.ofSeconds(3))).hasSize(1);
  }

  @Test
  void concurrentRequestsWithOneIdempotencyKey_allGetTheSameJob() throws Exception {
    String key = "it-race-" + UUID.randomUUID();
    List<HttpResponse<String>> responses;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<CompletableFuture<HttpResponse<String>>> calls =
          IntStream.range(0, 8)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              client.send(
                                  client
                                      .postJson(TRIGGER, DATABASE)
                                      .header("Idempotency-Key", key)),
                          pool))
              .toList();
      responses = calls.stream().map(CompletableFuture::join).toList();
    }

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
    Set<String> ids =
        responses.stream()
            .map(r -> GatewayClient.json(r).get("jobId").asString())
            .collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    assertThat(jobsWithKey(key)).isEqualTo(1);
  }

  @Test
  void idempotencyKeyReusedForAnotherTarget_isAConflict() {
    String key = "it-" + UUID.randomUUID();
    client.send(client.postJson(TRIGGER, DATABASE).header("Idempotency-Key", key));

    HttpResponse<String> response =
        client.send(
            client
                .postJson(TRIGGER, "{\"type\":\"database\",\"target\":\"alpha\"}")
                .header("Idempotency-Key", key));

    assertThat(response.statusCode()).isEqualTo(409);
    assertProblemJson(response);
    assertThat(GatewayClient.json(response).get("field").asString()).isEqualTo("Idempotency-Key");
    assertThat(jobsWithKey(key)).isEqualTo(1);
  }

  @Test
  void waitMode_answers200WithTheFinalJob_whenAWorkerFinishesIt() throws Exception {
    String key = "it-wait-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(
            () ->
                client.send(
                    client
                        .postJson(
                            TRIGGER + "?wait=60",
                            "{\"type\":\"database\",\"target\":\"wait-test\"}")
                        .header("Idempotency-Key", key)));

    // Play the worker: claim the job, then record success.
    WorkerStandIn worker = new WorkerStandIn(jobs, transactions, "it-worker");
    UUID jobId = worker.claimJobOf(key);
    assertThat(waiting).as("still waiting while the job runs").isNotDone();
    worker.succeed(jobId);

    HttpResponse<String> response = waiting.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("id").asString()).isEqualTo(jobId.toString());
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("workerId").asString()).isEqualTo("it-worker");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("durationMs").isNumber()).isTrue();
    assertThat(job.get("links").get("self").asString()).isEqualTo("/api/v1/jobs/" + jobId);
  }

  @Test
  void waitMode_answers500WithTheFailedJob_soThatCurlFailFails() throws Exception {
    String key = "it-wait-fail-" + UUID.randomUUID();
    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(
            () ->
                client.send(
                    client
                        .postJson(
                            TRIGGER + "?wait=60",
                            "{\"type\":\"database\",\"target\":\"wait-test\"}")
                        .header("Idempotency-Key", key)));
    UUID jobId = new WorkerStandIn(jobs, transactions, "it-worker").claimJobOf(key);
    transactions.executeWithoutResult(
        tx -> {
          BackupJob job = jobs.findById(jobId).orElseThrow();
          job.fail(
              "unable to run pg_dump for target 'wait-test': connection refused", Instant.now());
          jobs.save(job);
        });

    HttpResponse<String> response = waiting.get(30, TimeUnit.SECONDS);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("status").asString()).isEqualTo("FAILED");
    assertThat(job.get("error").asString()).contains("connection refused");
  }

  @Test
  void shortWait_onAJobNobodyRuns_answers202WithTheQueuedJob() {
    long started = System.nanoTime();

    HttpResponse<String> response = client.send(client.postJson(TRIGGER + "?wait=1", DATABASE));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("status").asString()).isEqualTo(JobStatus.QUEUED.name());
    assertThat(job.get("type").asString()).isEqualTo("BACKUP_DATABASE");
    assertThat(response.headers().firstValue("Location"))
        .contains("/api/v1/jobs/" + job.get("id").asString());
  }

  @Test
  void triggerHealth_needsNoKey() {
    HttpResponse<String> response = client.send(client.request(TRIGGER + "/health").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = GatewayClient.json(response);
    assertThat(body.get("status").asString()).isEqualTo("ok");
    assertThat(body.get("configured").asBoolean()).isTrue();
  }

  @Test
  void actuatorHealth_needsNoKey_andIsUp() {
    HttpResponse<String> response = client.send(client.request("/actuator/health").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayClient.json(response).get("status").asString()).isEqualTo("UP");
  }

  @Test
  void openApiDocument_isServedWithoutKey_andDocumentsBothSecuritySchemes() {
    HttpResponse<String> response = client.send(client.request("/v3/api-docs").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode doc = GatewayClient.json(response);
    assertThat(doc.get("paths").propertyNames())
        .contains(
            "/api/backup/trigger",
            "/api/v1/jobs",
            "/api/v1/jobs/{id}",
            "/api/v1/backups",
            "/api/v1/backups/{id}",
            "/api/v1/backups/{id}/download");
    JsonNode trigger = doc.get("paths").get("/api/backup/trigger").get("post");
    List<String> parameters = new java.util.ArrayList<>();
    trigger.get("parameters").forEach(p -> parameters.add(p.get("name").asString()));
    assertThat(parameters).contains("wait", "Idempotency-Key", "X-Requested-By");
    assertThat(
            trigger
                .get("requestBody")
                .get("content")
                .get("application/json")
                .get("schema")
                .get("$ref")
                .asString())
        .endsWith("/TriggerBody");
    assertThat(
            doc.get("paths").get("/api/backup/trigger/health").get("get").get("security").isEmpty())
        .as("the trigger health check needs no key")
        .isTrue();
    JsonNode schemes = doc.get("components").get("securitySchemes");
    assertThat(schemes.get("bearerKey").get("scheme").asString()).isEqualTo("bearer");
    assertThat(schemes.get("backupKeyHeader").get("name").asString()).isEqualTo("X-Backup-Key");
    assertThat(schemes.get("backupKeyHeader").get("in").asString()).isEqualTo("header");
    assertThat(response.body()).doesNotContain(GatewayTestEnvironment.API_KEY);
  }

  private long jobsWithKey(String key) {
    return jobs.count((root, query, cb) -> cb.equal(root.get("idempotencyKey"), key));
  }

  private static void assertProblemJson(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
  }
}
