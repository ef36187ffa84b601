package io.kanbu.backup.gateway.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A gateway with {@code BACKUP_STORAGE=local,gdrive} (the Drive storage as the original's mounted
 * folder, {@code BACKUP_GDRIVE_PATH}) over real HTTP and the real catalog: backups show their
 * copies and whether they are degraded, downloads fall back to another copy, the status report
 * counts degraded backups.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReplicatedBackupsApiIT {

  private static final String TARGET = "copies-" + GatewayTestEnvironment.randomHex(4);
  private static final Path SECOND_ROOT = createSecondRoot();

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired BackupCopyRepository copies;
  @Autowired TransactionTemplate transactions;

  private GatewayClient client;

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, GatewayTestEnvironment.MAIN_DATABASE);
    registry.add("kanbu.storage.type", () -> "local,gdrive");
    registry.add("kanbu.storage.gdrive.path", SECOND_ROOT::toString);
  }

  @BeforeEach
  void setUp() {
    client = new GatewayClient(port);
  }

  @Test
  void aBackupWhoseCopyFailed_isShownDegraded_inItsViewTheListAndTheStatus() throws Exception {
    byte[] content = randomBytes(4096);
    BackupRecord backup = storedBackup(content, true, false);
    transactions.executeWithoutResult(
        tx -> {
          BackupCopy failed = BackupCopy.pending(backup, "gdrive", Instant.now());
          failed.failed("HTTP 403 from Drive", Duration.ofMinutes(1), Instant.now());
          copies.save(failed);
        });

    JsonNode view = GatewayClient.json(get("/api/v1/backups/" + backup.getId()));

    assertThat(view.at("/copies/state").asString()).isEqualTo("degraded: 1 of 2 copies");
    assertThat(view.at("/copies/degraded").asBoolean()).isTrue();
    assertThat(view.at("/copies/storages/0/storage").asString()).isEqualTo("local");
    assertThat(view.at("/copies/storages/0/status").asString()).isEqualTo("AVAILABLE");
    assertThat(view.at("/copies/storages/1/storage").asString()).isEqualTo("gdrive");
    assertThat(view.at("/copies/storages/1/status").asString()).isEqualTo("FAILED");
    assertThat(view.at("/copies/storages/1/lastError").asString()).isEqualTo("HTTP 403 from Drive");
    assertThat(view.at("/copies/storages/1/nextAttemptAt").asString()).isNotBlank();
    JsonNode listed = GatewayClient.json(get("/api/v1/backups?target=" + TARGET));
    assertThat(listed.get("items").valueStream())
        .filteredOn(item -> item.get("id").asString().equals(backup.getId().toString()))
        .singleElement()
        .satisfies(
            item ->
                assertThat(item.at("/copies/state").asString())
                    .isEqualTo("degraded: 1 of 2 copies"));
    JsonNode status = GatewayClient.json(get("/api/v1/status"));
    assertThat(status.at("/replication/storages/0/type").asString()).isEqualTo("local");
    assertThat(status.at("/replication/storages/1/type").asString()).isEqualTo("gdrive");
    assertThat(status.at("/replication/storages/1/location").asString())
        .isEqualTo(SECOND_ROOT.toString());
    assertThat(status.at("/replication/degradedBackups").asLong()).isPositive();
  }

  @Test
  void aDownload_fallsBackToTheOtherCopy_whenTheFirstIsMissing_andSaysSo() throws Exception {
    byte[] content = randomBytes(256 * 1024 + 3);
    BackupRecord backup = storedBackup(content, false, true);
    String digest = sha256(content);
    transactions.executeWithoutResult(
        tx -> {
          BackupCopy second = BackupCopy.pending(backup, "gdrive", Instant.now());
          second.written(content.length, digest, Instant.now(), Instant.now());
          copies.save(second);
        });

    HttpResponse<byte[]> response =
        client.sendForBytes(client.authorized("/api/v1/backups/" + backup.getId() + "/download"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(content);
    assertThat(response.headers().firstValue("X-Kanbu-Copy")).contains("gdrive");
    assertThat(response.headers().firstValue("X-Kanbu-Warning"))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("the copy in storage 'local' is missing")
                    .contains("served the copy in storage 'gdrive'"));
    JsonNode view = GatewayClient.json(get("/api/v1/backups/" + backup.getId()));
    assertThat(view.at("/copies/state").asString()).isEqualTo("complete: 2 of 2 copies");
  }

  @Test
  void aDownload_withNoIntactCopy_is404NamingEveryCopy() throws Exception {
    BackupRecord backup = storedBackup(randomBytes(100), false, false);

    HttpResponse<String> response = get("/api/v1/backups/" + backup.getId() + "/download");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(GatewayClient.json(response).get("detail").asString())
        .contains("no intact copy")
        .contains("the copy in storage 'local' is missing");
  }

  @Test
  void replicate_queuesAReplicateJobOfTheBackup() throws Exception {
    BackupRecord backup = storedBackup(randomBytes(64), true, false);

    HttpResponse<String> response =
        client.send(client.postEmpty("/api/v1/backups/" + backup.getId() + "/replicate"));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode job = GatewayClient.json(response);
    assertThat(job.get("type").asString()).isEqualTo("REPLICATE");
    assertThat(job.get("target").asString()).isEqualTo(TARGET);
    assertThat(job.get("backupId").asString()).isEqualTo(backup.getId().toString());
    BackupJob row = jobs.findById(UUID.fromString(job.get("id").asString())).orElseThrow();
    assertThat(row.getType()).isEqualTo(JobType.REPLICATE);
    assertThat(row.getBackupId()).isEqualTo(backup.getId());
    assertThat(
            client
                .send(client.postEmpty("/api/v1/backups/" + UUID.randomUUID() + "/replicate"))
                .statusCode())
        .isEqualTo(404);
  }

  /** A backup of {@link #TARGET} recorded on 'local' with its primary copy. */
  private BackupRecord storedBackup(byte[] content, boolean onLocal, boolean onSecond)
      throws Exception {
    UUID id = UUID.randomUUID();
    String key = TARGET + "/database/kanbu_backup_" + id + ".sql.gz";
    if (onLocal) {
      write(GatewayTestEnvironment.STORAGE_ROOT.resolve(key), content);
    }
    if (onSecond) {
      write(SECOND_ROOT.resolve(key), content);
    }
    Instant now = Instant.now();
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            TARGET,
            TriggerSource.API,
            "replicated-it",
            null,
            3,
            now);
    String sha256 = sha256(content);
    BackupRecord backup =
        BackupRecord.available(
            id,
            job.getId(),
            TARGET,
            BackupKind.DATABASE,
            new BackupRecord.Location("local", key, "kanbu_backup_" + id + ".sql.gz"),
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
            now);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(job);
          jobs.markPublished(job.getId(), now);
          backups.saveAndFlush(backup);
          copies.save(BackupCopy.primaryOf(backup, now));
        });
    return backup;
  }

  private HttpResponse<String> get(String path) {
    return client.send(client.authorized(path).GET());
  }

  private static void write(Path file, byte[] content) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private static Path createSecondRoot() {
    try {
      return Files.createTempDirectory("kanbu-gateway-it-second-storage");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
