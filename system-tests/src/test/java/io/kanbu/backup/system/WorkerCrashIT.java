package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process dies (SIGKILL) in the middle of a backup. Its lease runs out, the scheduler's
 * reaper re-queues the job, another worker runs it, and the job ends with exactly one backup.
 */
@ExtendWith(ExternalServices.class)
class WorkerCrashIT {

  private static final String SOURCE = "kanbu_st_crash_source";

  @TempDir static Path storage;
  @TempDir static Path slowTools;
  private static KanbuSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(SOURCE);
    try (Connection c = pg.connect(SOURCE);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 10000) g");
    }
    writeSlowPgDump();
    system = new KanbuSystem("kanbu_st_crash_catalog", SOURCE, storage);
    system.startGateway();
    system.startScheduler("--kanbu.scheduler.reaper-interval=1s");
  }

  @AfterAll
  static void stopSystem() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void killedWorker_jobIsRunAgainAfterItsLeaseExpires_andEndsWithExactlyOneBackup()
      throws Exception {
    AppProcess doomed =
        system.startWorker(
            "worker-doomed",
            "--kanbu.worker.lease-duration=5s",
            "--kanbu.worker.lease-renewal-interval=1s",
            "--kanbu.worker.pg-bin-dirs=" + slowTools);
    KanbuSystem.Response accepted = system.trigger("{\"type\":\"database\"}", Duration.ZERO);
    assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
    String jobId = accepted.json().get("jobId").asString();

    await("job running on the doomed worker")
        .atMost(Duration.ofSeconds(60))
        .until(() -> "RUNNING".equals(column(jobId, "status")));
    String doomedWorker = column(jobId, "worker_id");
    doomed.kill();

    system.startWorker(
        "worker-survivor",
        "--kanbu.worker.lease-duration=30s",
        "--kanbu.worker.lease-renewal-interval=5s");

    await("job re-run and succeeded")
        .atMost(Duration.ofSeconds(120))
        .until(() -> "SUCCEEDED".equals(column(jobId, "status")));
    assertThat(column(jobId, "worker_id")).isNotEqualTo(doomedWorker);
    assertThat(column(jobId, "attempts")).isEqualTo("2");
    assertThat(count("SELECT count(*) FROM backup WHERE job_id = '" + jobId + "'")).isEqualTo(1);
    assertThat(system.databaseBackupFiles()).hasSize(1);
  }

  /** A pg_dump that takes its time, so that the worker can be killed in the middle of a dump. */
  private static void writeSlowPgDump() throws IOException {
    KanbuSystem.writePgDumpWrapper(slowTools, "sleep 20");
  }

  private static String column(String jobId, String column) throws Exception {
    try (Connection c = system.catalog();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT " + column + " FROM backup_job WHERE id = '" + jobId + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection c = system.catalog();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
