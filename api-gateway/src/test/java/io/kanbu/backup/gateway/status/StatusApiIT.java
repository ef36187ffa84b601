package io.kanbu.backup.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/status} with a stand-in docker client (one PostgreSQL container running) and
 * no pg_dump on the searched path, on a private catalog.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusApiIT {

  static final String URL_PASSWORD = "Url-Pa55word";
  static final String KEY = "an-encryption-passphrase";
  static Path dir;

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    GatewayTestEnvironment.register(
        registry, "kanbu_it_s_status" + System.getProperty("kanbu.it.worker-suffix", ""));
    dir = Files.createTempDirectory("kanbu-status-it");
    Path docker = dir.resolve("docker");
    Files.writeString(
        docker, "#!/bin/sh\n[ \"$1\" = ps ] || exit 2\necho web-1\necho postgres-app-1\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(dir.resolve("no-pg-bin"));
    registry.add("kanbu.status.docker-binary", docker::toString);
    registry.add("kanbu.status.pg-bin-dirs", () -> dir.resolve("no-pg-bin").toString());
    registry.add("kanbu.schedules.mode", () -> "both");
    registry.add("DATABASE_URL", () -> "postgresql://app:" + URL_PASSWORD + "@db/app");
    registry.add("BACKUP_ENCRYPTION_KEY", () -> KEY);
  }

  @Test
  void status_showsStorageModesSchedulerEncryptionAndCounts_withoutAnySecret() throws Exception {
    Files.createDirectories(GatewayTestEnvironment.STORAGE_ROOT);
    Instant now = Instant.now();
    BackupJob dbJob =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.API,
            "t",
            null,
            3,
            now);
    // published already, so the gateway's outbox relay puts nothing on the shared queue
    dbJob.markPublished(now);
    dbJob.recordMode("docker", "auto: DATABASE_URL is not set; container 'postgres-app-1'", now);
    jobs.save(dbJob);
    BackupJob sourceJob =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_SOURCE,
            "default",
            TriggerSource.API,
            "t",
            null,
            3,
            now);
    sourceJob.markPublished(now);
    jobs.save(sourceJob);
    long sourcesBefore =
        backups.findAll().stream().filter(b -> b.getKind() == BackupKind.SOURCE).count();
    BackupRecord sourceBackup =
        backups.save(
            BackupRecord.available(
                    UUID.randomUUID(),
                    sourceJob.getId(),
                    "default",
                    BackupKind.SOURCE,
                    new BackupRecord.Location(
                        "local", "default/source/s-" + UUID.randomUUID(), "s"),
                    new BackupRecord.Content(
                        1, 1, 1, "a".repeat(64), "a".repeat(64), "gzip", false, null, null, null),
                    now)
                .withSourceDetails(1, 1, java.util.List.of(".env"), "c".repeat(40), true));

    backups.save(
        BackupRecord.available(
            UUID.randomUUID(),
            dbJob.getId(),
            "default",
            BackupKind.DATABASE,
            new BackupRecord.Location("local", "default/database/e-" + UUID.randomUUID(), "e"),
            new BackupRecord.Content(
                1, 1, 1, "b".repeat(64), "b".repeat(64), "gzip", true, "ops-2026", null, null),
            now.plusSeconds(3600)));

    GatewayClient client = new GatewayClient(port);
    HttpResponse<String> response = client.send(client.authorized("/api/v1/status"));
    HttpResponse<String> anonymous = client.send(client.request("/api/v1/status"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain(URL_PASSWORD, KEY);
    JsonNode body = GatewayClient.json(response);
    assertThat(body.at("/storage/type").asString()).isEqualTo("local");
    assertThat(body.at("/storage/location").asString())
        .isEqualTo(GatewayTestEnvironment.STORAGE_ROOT.toString());
    assertThat(body.at("/storage/writable").asBoolean()).isTrue();
    assertThat(body.at("/postgres/mode").asString()).isEqualTo("auto");
    assertThat(body.at("/postgres/pgDump/found").asBoolean()).isFalse();
    assertThat(body.at("/postgres/docker/reachable").asBoolean()).isTrue();
    assertThat(body.at("/postgres/docker/containerFound").asBoolean()).isTrue();
    assertThat(body.at("/postgres/docker/containerName").asString()).isEqualTo("postgres-app-1");
    JsonNode target = null;
    for (JsonNode t : body.at("/postgres/targets")) {
      if (t.get("name").asString().equals("default")) {
        target = t;
      }
    }
    assertThat(target).isNotNull();
    assertThat(target.get("databaseUrlSet").asBoolean()).isTrue();
    // the URL is set but this host has no pg_dump: auto would use the container
    assertThat(target.get("expectedMode").asString()).isEqualTo("docker");
    assertThat(target.get("lastJobMode").asString()).isEqualTo("docker");
    assertThat(target.get("lastJobModeReason").asString()).contains("postgres-app-1");
    assertThat(body.at("/scheduler/mode").asString()).isEqualTo("both");
    assertThat(body.at("/encryption/enabled").asBoolean()).isTrue();
    // BACKUP_ENCRYPTION_KEY without BACKUP_ENCRYPTION_KEY_ID: the workers call the key 'primary'
    assertThat(body.at("/encryption/keyId").asString()).isEqualTo("primary");
    assertThat(body.at("/encryption/newestBackupKeyId").asString()).isEqualTo("ops-2026");
    assertThat(body.at("/encryption/backupsUnderOtherKeys").asLong()).isPositive();
    assertThat(body.at("/backups/SOURCE").asLong()).isEqualTo(sourcesBefore + 1);
    assertThat(body.at("/backups/DATABASE").isNumber()).isTrue();

    JsonNode backup =
        GatewayClient.json(
            client.send(client.authorized("/api/v1/backups/" + sourceBackup.getId())));
    assertThat(backup.at("/source/fileCount").asLong()).isEqualTo(1);
    assertThat(backup.at("/source/excludedPatterns/0").asString()).isEqualTo(".env");
    assertThat(backup.at("/source/gitCommit").asString()).isEqualTo("c".repeat(40));
    assertThat(backup.at("/source/gitUncommittedChanges").asBoolean()).isTrue();
  }
}
