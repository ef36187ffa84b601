package io.kanbu.backup.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.gateway.support.WorkerStandIn;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server of a running gateway, driven by the official MCP Java SDK client over streamable
 * HTTP, on the real catalog and broker. Where a tool waits for an outcome the test plays the worker
 * in the catalog (claim, then succeed), as the trigger's tests do.
 */
class McpServerIT extends GatewayIntegrationTest {

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;

  private final JsonMapper json = JsonMapper.builder().build();
  private McpSyncClient client;

  @BeforeEach
  void connect() {
    client =
        client(HttpRequest.newBuilder().header("X-Backup-Key", GatewayTestEnvironment.API_KEY));
    client.initialize();
  }

  @AfterEach
  void close() {
    client.closeGracefully();
  }

  @Test
  void listTools_offersTheBackupTools_andNeitherRestoreNorDelete() {
    List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();

    assertThat(names)
        .containsExactlyInAnyOrder(
            "kanbu_create_db_backup",
            "kanbu_create_source_backup",
            "kanbu_list_backups",
            "kanbu_job_status",
            "kanbu_verify_backup",
            "kanbu_backup_status");
    assertThat(names).noneMatch(n -> n.contains("restore") || n.contains("delete"));
  }

  @Test
  void createDbBackup_withoutWait_queuesAJobRecordedAsRequestedByMcp() {
    JsonNode answer = call("kanbu_create_db_backup", Map.of());

    UUID jobId = UUID.fromString(answer.get("job").get("id").asString());
    assertThat(answer.get("job").get("status").asString()).isEqualTo("QUEUED");
    assertThat(answer.get("message").asString()).contains(jobId.toString(), "kanbu_job_status");
    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getType()).isEqualTo(JobType.BACKUP_DATABASE);
    assertThat(job.getRequestedBy()).isEqualTo("mcp");
    assertThat(job.getTarget()).isEqualTo("default");
  }

  @Test
  void createSourceBackup_withWait_holdsTheCall_andReturnsTheOutcome_whenTheWorkerFinishes()
      throws Exception {
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(
            () ->
                call(
                    "kanbu_create_source_backup",
                    Map.of("target", "wait-test", "waitSeconds", 60)));

    // the call is held longer than a servlet container's default async timeout (30 s)
    await()
        .during(Duration.ofSeconds(32))
        .atMost(Duration.ofSeconds(40))
        .until(() -> !waiting.isDone());
    UUID jobId = playWorker_succeedNewestJob(JobType.BACKUP_SOURCE, "wait-test");

    JsonNode answer = waiting.get(60, TimeUnit.SECONDS);
    assertThat(answer.get("job").get("id").asString()).isEqualTo(jobId.toString());
    assertThat(answer.get("job").get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(answer.get("job").get("workerId").asString()).isEqualTo("mcp-it-worker");
    assertThat(answer.get("message").asString()).contains("succeeded");
  }

  @Test
  void jobStatus_showsTheJob() {
    UUID jobId =
        UUID.fromString(call("kanbu_create_db_backup", Map.of()).get("job").get("id").asString());

    JsonNode job = call("kanbu_job_status", Map.of("jobId", jobId.toString()));

    assertThat(job.get("id").asString()).isEqualTo(jobId.toString());
    assertThat(job.get("type").asString()).isEqualTo("BACKUP_DATABASE");
  }

  @Test
  void listBackups_andVerifyBackup_workOnTheCatalogsBackups() {
    UUID backupId = storedBackup("alpha");

    JsonNode page = call("kanbu_list_backups", Map.of("target", "alpha", "limit", 200));
    assertThat(page.get("items").valueStream().map(b -> b.get("id").asString()))
        .contains(backupId.toString());
    assertThat(page.get("items").valueStream().map(b -> b.get("target").asString()))
        .containsOnly("alpha");

    JsonNode verify = call("kanbu_verify_backup", Map.of("backupId", backupId.toString()));
    UUID jobId = UUID.fromString(verify.get("job").get("id").asString());
    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getType()).isEqualTo(JobType.VERIFY);
    assertThat(job.getBackupId()).isEqualTo(backupId);
    assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void backupStatus_reportsStorageAndTargets_withoutSecrets() {
    JsonNode status = call("kanbu_backup_status", Map.of());

    assertThat(status.get("storage").get("type").asString()).isEqualTo("local");
    assertThat(status.get("storage").get("writable").asBoolean()).isTrue();
    assertThat(status.toString()).doesNotContain(GatewayTestEnvironment.API_KEY, "nobody@");
  }

  @Test
  void badArguments_giveToolErrorsNamingTheArgument() {
    assertThat(error("kanbu_job_status", Map.of("jobId", "not-a-uuid")))
        .contains("'jobId' must be a UUID", "not-a-uuid");
    assertThat(error("kanbu_create_db_backup", Map.of("target", "nope")))
        .contains("target 'nope' is not configured", "alpha", "default");
    assertThat(error("kanbu_create_db_backup", Map.of("waitSeconds", 100_000)))
        .contains("'waitSeconds'", "from 0 to 600", "100000");
    assertThat(error("kanbu_verify_backup", Map.of("backupId", UUID.randomUUID().toString())))
        .contains("does not exist");
    assertThat(error("kanbu_list_backups", Map.of("limit", 0)))
        .contains("'limit' must be between 1 and 200, was 0");
  }

  @Test
  void withoutTheKey_theServerRefusesTheClient_andPlainRequestsGet401() {
    McpSyncClient anonymous = client(HttpRequest.newBuilder());
    assertThatThrownBy(anonymous::initialize).isInstanceOf(RuntimeException.class);
    anonymous.close();

    McpSyncClient wrongKey = client(HttpRequest.newBuilder().header("X-Backup-Key", "wrong"));
    assertThatThrownBy(wrongKey::initialize).isInstanceOf(RuntimeException.class);
    wrongKey.close();

    GatewayClient http = new GatewayClient(port);
    HttpResponse<String> response =
        http.send(
            http.request("/mcp")
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("no API key given");
  }

  @Test
  void bearerToken_isAcceptedLikeTheBackupKeyHeader() {
    McpSyncClient bearer =
        client(
            HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + GatewayTestEnvironment.API_KEY));
    try {
      bearer.initialize();
      assertThat(bearer.listTools().tools()).hasSize(6);
    } finally {
      bearer.closeGracefully();
    }
  }

  private McpSyncClient client(HttpRequest.Builder requests) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
            .endpoint("/mcp")
            .requestBuilder(requests)
            .build();
    return McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(90))
        .initializationTimeout(Duration.ofSeconds(10))
        .build();
  }

  private JsonNode call(String tool, Map<String, Object> arguments) {
    McpSchema.CallToolResult result =
        client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
    return json.readTree(text(result));
  }

  private String error(String tool, Map<String, Object> arguments) {
    McpSchema.CallToolResult result =
        client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    assertThat(result.isError()).as(text(result)).isTrue();
    return text(result);
  }

  private static String text(McpSchema.CallToolResult result) {
    return result.content().stream()
        .filter(McpSchema.TextContent.class::isInstance)
        .map(c -> ((McpSchema.TextContent) c).text())
        .reduce("", String::concat);
  }

  /** Claims the newest QUEUED job of that type and target as a worker would, then succeeds it. */
  private UUID playWorker_succeedNewestJob(JobType type, String target) {
    UUID jobId =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    jobs.findAll().stream()
                        .filter(
                            j ->
                                j.getType() == type
                                    && j.getTarget().equals(target)
                                    && j.getStatus() == JobStatus.QUEUED
                                    && "mcp".equals(j.getRequestedBy()))
                        .map(BackupJob::getId)
                        .findFirst()
                        .orElse(null),
                id -> id != null);
    WorkerStandIn worker = new WorkerStandIn(jobs, transactions, "mcp-it-worker");
    worker.claim(jobId);
    worker.succeed(jobId);
    return jobId;
  }

  private UUID storedBackup(String target) {
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            target,
            TriggerSource.API,
            "mcp-it",
            null,
            3,
            Instant.now());
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(job));
    UUID id = UUID.randomUUID();
    String name = "kanbu_backup_mcp_" + id + ".sql.gz";
    String digest = "a".repeat(64);
    backups.save(
        BackupRecord.available(
            id,
            job.getId(),
            target,
            BackupKind.DATABASE,
            new BackupRecord.Location("local", target + "/database/" + name, name, null),
            new BackupRecord.Content(1, 1, 1, digest, digest, "gzip", false, null, "15", "15"),
            Instant.now()));
    return id;
  }
}
