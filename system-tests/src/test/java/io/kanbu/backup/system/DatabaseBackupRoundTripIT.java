package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise, end to end: a trigger over HTTP becomes a command on RabbitMQ, a worker
 * process dumps the database into local storage and records it, and the file restores by hand with
 * stock {@code gunzip | psql} into a database equal to the original.
 */
@ExtendWith(ExternalServices.class)
class DatabaseBackupRoundTripIT {

  private static final String SOURCE = "kanbu_st_roundtrip_source";
  private static final String RESTORED = "kanbu_st_roundtrip_restored";

  @TempDir static Path storage;
  private static KanbuSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(SOURCE);
    pg.recreateDatabase(RESTORED);
    try (Connection c = pg.connect(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(
          new String(
              DatabaseBackupRoundTripIT.class
                  .getResourceAsStream("/fixtures/kanbu-like.sql")
                  .readAllBytes(),
              StandardCharsets.UTF_8));
    }
    system =
        new KanbuSystem("kanbu_st_roundtrip_catalog", SOURCE, storage)
            // schedules are looked at every second, so a schedule of every 5 s fires promptly
            .withEnv("KANBU_SCHEDULER_SCHEDULE_INTERVAL", "1s");
    system.startGateway();
    system.startScheduler();
    system.startWorker("worker-roundtrip");
  }

  @AfterAll
  static void stopSystem() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void triggeredBackup_restoresByHandWithGunzipAndPsql_intoAnEqualDatabase() throws Exception {
    KanbuSystem.Response response =
        system.trigger("{\"type\":\"database\"}", Duration.ofMinutes(5));

    assertThat(response.status()).as(response.raw()).isEqualTo(200);
    assertThat(response.json().get("status").asString()).as(response.raw()).isEqualTo("SUCCEEDED");
    String jobId = response.json().get("id").asString();

    String objectKey;
    String sha256;
    String fileName;
    try (Connection c = system.catalog();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT object_key, sha256, sha256_stored, file_name FROM backup WHERE job_id = '"
                    + jobId
                    + "'")) {
      assertThat(rs.next()).as("a backup row for job " + jobId).isTrue();
      objectKey = rs.getString(1);
      sha256 = rs.getString(2);
      assertThat(rs.getString(3))
          .as("unencrypted: stored digest = plaintext digest")
          .isEqualTo(sha256);
      fileName = rs.getString(4);
      assertThat(rs.next()).as("exactly one backup").isFalse();
    }
    assertThat(fileName)
        .matches("kanbu_backup_\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}_[0-9a-f]{8}\\.sql\\.gz");
    Path file = storage.resolve(objectKey);
    assertThat(file).exists().hasFileName(fileName);
    assertThat(sha256Of(file)).isEqualTo(sha256);

    restoreByHand(file, RESTORED);

    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    Map<String, String> original = DatabaseFingerprint.of(pg, SOURCE);
    Map<String, String> restored = DatabaseFingerprint.of(pg, RESTORED);
    assertThat(original)
        .containsKeys(
            "table kanbu.task",
            "table audit.event",
            "table \"Ünïcode\".\"naïve table\"",
            "view kanbu.open_tasks",
            "function kanbu.task_title");
    assertThat(original.keySet()).anyMatch(k -> k.startsWith("large object "));
    assertThat(restored).isEqualTo(original);
  }

  @Test
  void aScheduleCreatedThroughTheApi_firesInTheScheduler_andAWorkerRunsEachFiringOnce()
      throws Exception {
    KanbuSystem.Response created =
        system.api(
            "POST",
            "/api/v1/schedules",
            "{\"name\":\"st-every-5s\",\"jobType\":\"database\",\"cron\":\"*/5 * * * * *\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.json().get("id").asString();

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> scheduledJobs("SUCCEEDED") >= 1);
    KanbuSystem.Response paused = system.api("POST", "/api/v1/schedules/" + id + "/pause", null);
    assertThat(paused.status()).as(paused.raw()).isEqualTo(200);

    // every firing the scheduler claimed has one job if it created one, none if it skipped
    try (Connection c = system.catalog();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT f.outcome, count(j.id) FROM schedule_firing f"
                    + " LEFT JOIN backup_job j ON j.schedule_firing_id = f.id"
                    + " WHERE f.schedule_id = '"
                    + id
                    + "' GROUP BY f.id, f.outcome")) {
      int firings = 0;
      while (rs.next()) {
        firings++;
        String outcome = rs.getString(1);
        assertThat(rs.getInt(2))
            .as("jobs of a %s firing", outcome)
            .isEqualTo(outcome.equals("JOB_CREATED") ? 1 : 0);
        assertThat(outcome).isIn("JOB_CREATED", "SKIPPED_PREVIOUS_ACTIVE");
      }
      assertThat(firings).isPositive();
    }
    KanbuSystem.Response firings = system.api("GET", "/api/v1/schedules/" + id + "/firings", null);
    assertThat(firings.json().get("items").get(0).get("claimedBy").asString()).isNotBlank();
  }

  private static int scheduledJobs(String status) throws Exception {
    try (Connection c = system.catalog();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM backup_job WHERE trigger_source = 'SCHEDULE' AND status = '"
                    + status
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void restoreByHand(Path file, String database) throws Exception {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    ProcessBuilder gunzip = new ProcessBuilder("gunzip", "-c", file.toString());
    ProcessBuilder psql =
        new ProcessBuilder(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            pg.host(),
            "-p",
            Integer.toString(pg.port()),
            "-U",
            pg.user(),
            "-d",
            database);
    psql.environment().put("PGPASSWORD", pg.password());
    psql.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(gunzip, psql));
    Process last = pipeline.getLast();
    String errors = new String(last.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(pipeline.getFirst().waitFor()).as("gunzip exit").isZero();
    assertThat(last.exitValue()).as("psql failed: " + errors).isZero();
  }

  private static String sha256Of(Path file)
      throws IOException, java.security.NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
