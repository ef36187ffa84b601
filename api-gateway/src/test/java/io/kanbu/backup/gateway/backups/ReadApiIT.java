package io.kanbu.backup.gateway.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The read API for jobs and backups, and downloads, over real HTTP against the real catalog. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadApiIT extends GatewayIntegrationTest {

  /** Targets only this class writes, so that the other ITs' jobs never show in its lists. */
  private static final String TARGET = "reads-" + GatewayTestEnvironment.randomHex(4);

  private static final String PAGING = "paging-" + GatewayTestEnvironment.randomHex(4);

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;

  private GatewayClient client;
  private BackupJob queued;
  private BackupJob running;
  private BackupJob succeeded;
  private BackupRecord stored;
  private BackupRecord missing;
  private byte[] storedBytes;
  private final List<UUID> pagingJobs = new ArrayList<>();

  @BeforeAll
  void createCatalogRows() throws Exception {
    Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
    queued = insertJob(TARGET, JobType.BACKUP_DATABASE, base);
    running = insertJob(TARGET, JobType.BACKUP_SOURCE, base.plusSeconds(1));
    claim(running);
    succeeded = insertJob(TARGET, JobType.BACKUP_DATABASE, base.plusSeconds(2));
    claim(succeeded);

    storedBytes = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(storedBytes);
    UUID storedId = UUID.randomUUID();
    String key = "database/" + TARGET + "/" + storedId + ".sql.gz";
    Path file = GatewayTestEnvironment.STORAGE_ROOT.resolve(key);
    Files.createDirectories(file.getParent());
    Files.write(file, storedBytes);
    stored =
        backupRecord(
            storedId,
            succeeded,
            key,
            "kanbu_backup_2026-11-26T06-00-00_" + storedId.toString().substring(0, 8) + ".sql.gz",
            storedBytes,
            base.plusSeconds(3));
    transactions.executeWithoutResult(
        tx -> {
          BackupJob job = jobs.findById(succeeded.getId()).orElseThrow();
          job.succeed(storedId, Instant.now());
          jobs.save(job);
        });
    backups.save(stored);
    succeeded = jobs.findById(succeeded.getId()).orElseThrow();

    UUID missingId = UUID.randomUUID();
    missing =
        backupRecord(
            missingId,
            succeeded,
            "database/" + TARGET + "/" + missingId + ".sql.gz",
            "kanbu_backup_missing.sql.gz",
            new byte[] {1, 2, 3},
            base.plusSeconds(4));
    backups.save(missing);

    for (int i = 0; i < 5; i++) {
      BackupJob job = insertJob(PAGING, JobType.BACKUP_DATABASE, base.plusSeconds(10 + i));
      pagingJobs.add(job.getId());
    }
  }

  @BeforeEach
  void setUp() {
    client = new GatewayClient(port);
  }

  @Test
  void job_isShownWithEveryField_andLinksToItsBackup() {
    HttpResponse<String> response = get("/api/v1/jobs/" + succeeded.getId());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("id").asString()).isEqualTo(succeeded.getId().toString());
    assertThat(job.get("type").asString()).isEqualTo("BACKUP_DATABASE");
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("target").asString()).isEqualTo(TARGET);
    assertThat(job.get("trigger").asString()).isEqualTo("API");
    assertThat(job.get("requestedBy").asString()).isEqualTo("read-api-it");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
    assertThat(job.get("workerId").asString()).isEqualTo("it-worker");
    assertThat(job.get("backupId").asString()).isEqualTo(stored.getId().toString());
    assertThat(job.get("createdAt").asString()).isNotBlank();
    assertThat(job.get("startedAt").asString()).isNotBlank();
    assertThat(job.get("finishedAt").asString()).isNotBlank();
    assertThat(job.get("durationMs").isNumber()).isTrue();
    assertThat(job.has("error")).isTrue();
    assertThat(job.get("links").get("self").asString())
        .isEqualTo("/api/v1/jobs/" + succeeded.getId());
    assertThat(job.get("links").get("backup").asString())
        .isEqualTo("/api/v1/backups/" + stored.getId());
    assertThat(job.has("leaseUntil")).as("lease internals stay internal").isFalse();
    assertThat(job.has("idempotencyKey")).isFalse();
  }

  @Test
  void runningJob_showsItsStage_bytesReadAndTheRateOfItsStage() {
    Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant at = since.plusSeconds(4);
    transactions.executeWithoutResult(
        tx -> jobs.recordStage(running.getId(), "it-worker", "applying", since, 8_000_000L, at));

    JsonNode progress = GatewayClient.json(get("/api/v1/jobs/" + running.getId())).get("progress");

    assertThat(progress.get("stage").asString()).isEqualTo("applying");
    assertThat(progress.get("bytesRead").asLong()).isEqualTo(8_000_000L);
    assertThat(progress.get("bytesPerSecond").asLong()).isEqualTo(2_000_000L);
    assertThat(Instant.parse(progress.get("since").asString())).isEqualTo(since);
    assertThat(Instant.parse(progress.get("reportedAt").asString())).isEqualTo(at);
    // a job that is not running shows none, whatever its row still holds
    assertThat(
            GatewayClient.json(get("/api/v1/jobs/" + succeeded.getId())).get("progress").isNull())
        .isTrue();
  }

  @Test
  void job_isReadableWithTheBackupKeyHeaderToo() {
    HttpResponse<String> response =
        client.send(
            client
                .request("/api/v1/jobs/" + queued.getId())
                .header("X-Backup-Key", GatewayTestEnvironment.API_KEY)
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayClient.json(response).get("status").asString()).isEqualTo("QUEUED");
  }

  @Test
  void readApi_needsTheKey() {
    HttpResponse<String> response =
        client.send(client.request("/api/v1/jobs/" + queued.getId()).GET());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(GatewayClient.json(response).get("title").asString()).isEqualTo("unauthorized");
    assertThat(response.body()).doesNotContain("QUEUED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//api/v1/jobs",
        "/api//v1/jobs",
        "/api/./v1/jobs",
        "/api/backup/trigger/health/../../../v1/jobs",
        "/api/v1/jobs;x=1",
        "/api/backup/trigger/health;/../../../v1/jobs"
      })
  void unusualSpellingsOfAProtectedPath_stillNeedTheKey(String path) {
    HttpResponse<String> response = client.send(client.request(path).GET());

    assertThat(response.statusCode()).as(response.body()).isIn(400, 401, 404);
    assertThat(response.body()).doesNotContain("\"items\"");
  }

  @Test
  void unknownJob_is404Problem() {
    UUID unknown = UUID.randomUUID();

    HttpResponse<String> response = get("/api/v1/jobs/" + unknown);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("title").asString()).isEqualTo("job not found");
    assertThat(problem.get("detail").asString()).contains("'" + unknown + "'");
  }

  @Test
  void jobIdThatIsNotAUuid_is400NamingId() {
    HttpResponse<String> response = get("/api/v1/jobs/not-a-uuid");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("field").asString()).isEqualTo("id");
    assertThat(problem.get("detail").asString()).contains("'not-a-uuid'");
  }

  @Test
  void jobs_areFilteredByTarget_newestFirst() {
    HttpResponse<String> response = get("/api/v1/jobs?target=" + TARGET);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = GatewayClient.json(response);
    assertThat(ids(page))
        .containsExactly(
            succeeded.getId().toString(), running.getId().toString(), queued.getId().toString());
    assertThat(page.get("totalItems").asLong()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource({
    "status=RUNNING, 1",
    "status=queued, 1",
    "status=SUCCEEDED, 1",
    "type=BACKUP_SOURCE, 1",
    "type=BACKUP_DATABASE, 2",
    "status=FAILED, 0"
  })
  void jobs_areFilteredByStatusAndType(String filter, int expected) {
    HttpResponse<String> response = get("/api/v1/jobs?target=" + TARGET + "&" + filter);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = GatewayClient.json(response);
    assertThat(page.get("items").size()).isEqualTo(expected);
    assertThat(page.get("totalItems").asLong()).isEqualTo(expected);
    String[] parts = filter.split("=");
    page.get("items")
        .forEach(item -> assertThat(item.get(parts[0]).asString()).isEqualToIgnoringCase(parts[1]));
  }

  @Test
  void jobs_arePaged() {
    JsonNode first = GatewayClient.json(get("/api/v1/jobs?target=" + PAGING + "&size=2"));
    JsonNode second = GatewayClient.json(get("/api/v1/jobs?target=" + PAGING + "&size=2&page=1"));
    JsonNode last = GatewayClient.json(get("/api/v1/jobs?target=" + PAGING + "&size=2&page=2"));

    assertThat(first.get("totalItems").asLong()).isEqualTo(5);
    assertThat(first.get("totalPages").asInt()).isEqualTo(3);
    assertThat(first.get("size").asInt()).isEqualTo(2);
    assertThat(ids(first)).containsExactly(id(pagingJobs, 4), id(pagingJobs, 3));
    assertThat(ids(second)).containsExactly(id(pagingJobs, 2), id(pagingJobs, 1));
    assertThat(ids(last)).containsExactly(id(pagingJobs, 0));
    assertThat(last.get("page").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({
    "status=DONE, status",
    "type=BACKUP, type",
    "size=201, size",
    "size=0, size",
    "page=-1, page",
    "size=abc, size"
  })
  void badListParameters_are400NamingTheParameter(String parameter, String field) {
    HttpResponse<String> response = get("/api/v1/jobs?" + parameter);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("field").asString()).isEqualTo(field);
  }

  @Test
  void backups_areListedByTarget_withoutObjectKeys() {
    HttpResponse<String> response = get("/api/v1/backups?target=" + TARGET);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = GatewayClient.json(response);
    assertThat(ids(page)).containsExactly(missing.getId().toString(), stored.getId().toString());
    assertThat(response.body())
        .doesNotContain("objectKey")
        .doesNotContain(GatewayTestEnvironment.STORAGE_ROOT.toString());
  }

  @Test
  void backup_isShownWithEveryField() {
    HttpResponse<String> response = get("/api/v1/backups/" + stored.getId());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode backup = GatewayClient.json(response);
    assertThat(backup.get("jobId").asString()).isEqualTo(succeeded.getId().toString());
    assertThat(backup.get("target").asString()).isEqualTo(TARGET);
    assertThat(backup.get("kind").asString()).isEqualTo("DATABASE");
    assertThat(backup.get("status").asString()).isEqualTo("AVAILABLE");
    assertThat(backup.get("storage").asString()).isEqualTo("local");
    assertThat(backup.get("fileName").asString()).isEqualTo(stored.getFileName());
    assertThat(backup.get("storedSize").asLong()).isEqualTo(storedBytes.length);
    assertThat(backup.get("sha256").asString()).isEqualTo(stored.getSha256());
    assertThat(backup.get("sha256Stored").asString()).isEqualTo(stored.getSha256Stored());
    assertThat(backup.get("compression").asString()).isEqualTo("gzip");
    assertThat(backup.get("encrypted").asBoolean()).isFalse();
    assertThat(backup.get("pgServerVersion").asString()).isEqualTo("16.4");
    assertThat(backup.get("pgDumpVersion").asString()).isEqualTo("16.4");
    assertThat(backup.get("downloadUrl").asString())
        .isEqualTo("/api/v1/backups/" + stored.getId() + "/download");
  }

  @Test
  void unknownBackup_is404() {
    HttpResponse<String> response = get("/api/v1/backups/" + UUID.randomUUID());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(GatewayClient.json(response).get("title").asString()).isEqualTo("backup not found");
  }

  @Test
  void download_streamsTheExactBytes_withLengthTypeAndFileName() {
    HttpResponse<byte[]> response =
        client.sendForBytes(
            client.authorized("/api/v1/backups/" + stored.getId() + "/download").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/gzip");
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(storedBytes.length);
    assertThat(response.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"" + stored.getFileName() + "\"");
    assertThat(response.body()).isEqualTo(storedBytes);
  }

  @Test
  void downloadOfAnObjectMissingFromStorage_is404NamingBackupAndStorage() {
    HttpResponse<String> response = get("/api/v1/backups/" + missing.getId() + "/download");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("title").asString()).isEqualTo("backup object missing");
    assertThat(problem.get("detail").asString())
        .contains("'" + missing.getId() + "'", "storage 'local'")
        .doesNotContain(GatewayTestEnvironment.STORAGE_ROOT.toString());
  }

  private HttpResponse<String> get(String path) {
    return client.send(client.authorized(path).GET());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("id").asString()));
    return ids;
  }

  private static String id(List<UUID> ids, int index) {
    return ids.get(index).toString();
  }

  /**
   * A queued job marked published in the same transaction, so that the gateway's relay never sees
   * it unpublished and no command of this test reaches the shared queue.
   */
  private BackupJob insertJob(String target, JobType type, Instant createdAt) {
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(), type, target, TriggerSource.API, "read-api-it", null, 3, createdAt);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(job);
          jobs.markPublished(job.getId(), Instant.now());
        });
    return jobs.findById(job.getId()).orElseThrow();
  }

  private void claim(BackupJob job) {
    Instant now = Instant.now();
    Integer claimed =
        transactions.execute(
            tx -> jobs.claim(job.getId(), "it-worker", now.plus(Duration.ofHours(1)), now));
    assertThat(claimed).isEqualTo(1);
  }

  private static BackupRecord backupRecord(
      UUID id, BackupJob job, String key, String fileName, byte[] content, Instant createdAt)
      throws Exception {
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    return BackupRecord.available(
        id,
        job.getId(),
        job.getTarget(),
        BackupKind.DATABASE,
        new BackupRecord.Location("local", key, fileName),
        new BackupRecord.Content(
            content.length * 3L,
            content.length,
            content.length,
            sha256,
            sha256,
            "gzip",
            false,
            null,
            "16.4",
            "16.4"),
        createdAt);
  }
}
