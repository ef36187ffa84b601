package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.system.KanbuSystem.App;
import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes and two scheduler processes share 300 small database backups. Each job is
 * done exactly once (one attempt, one backup row, one file, one {@code job.succeeded}), every
 * worker runs some, and when one worker is killed with SIGKILL in the middle of a dump, its job is
 * re-run by another worker after the lease runs out: nothing lost, nothing twice.
 *
 * <p>The jobs go round-robin to {@value #TARGETS} targets that all name one tiny database ({@link
 * SmallBackupJobs}). Leases, the reaper and the relays run on intervals of a second or so
 * (configuration only), so the test takes a few minutes, most of it starting six JVMs.
 */
@ExtendWith(ExternalServices.class)
class WorkerScaleIT {

  private static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  private static final String SOURCE = "kanbu_st_scale_source" + SUFFIX;
  private static final String CATALOG = "kanbu_st_scale_catalog" + SUFFIX;
  private static final int JOBS = 300;
  private static final int TARGETS = 10;
  private static final String DOOMED = "scale-worker-doomed";
  private static final List<String> SURVIVORS = List.of("scale-worker-a", "scale-worker-b");

  @TempDir static Path storage;
  @TempDir static Path doomedTools;
  private static Path holdDumps;
  private static Path dumpHeld;
  private static KanbuSystem system;
  private static SmallBackupJobs jobs;
  private static AppProcess doomed;

  @BeforeAll
  static void startFleet() throws Exception {
    holdDumps = doomedTools.resolve("hold-dumps");
    dumpHeld = doomedTools.resolve("dump-held");
    writeHoldablePgDump();
    system =
        new KanbuSystem(CATALOG, SOURCE, storage)
            // both schedulers reap and relay every half second; a handed-back job waits 1 s
            .withEnv("KANBU_SCHEDULER_REAPER_INTERVAL", "500ms")
            .withEnv("KANBU_SCHEDULER_RELAY_INTERVAL", "500ms")
            .withEnv("KANBU_SCHEDULER_RELAY_GRACE", "1s");
    jobs = new SmallBackupJobs(system, SOURCE, TARGETS);
    system.startGateway();
    List<AppProcess> fleet =
        system.startTogether(
            List.of(
                App.scheduler("scale-scheduler-1", "--kanbu.scheduler.instance-id=scheduler-1"),
                App.scheduler("scale-scheduler-2", "--kanbu.scheduler.instance-id=scheduler-2"),
                App.worker(
                    DOOMED,
                    "--kanbu.worker.worker-id=" + DOOMED,
                    // short, so the killed job is taken back soon; not so short that a renewal
                    // delayed on a loaded machine lets a healthy job be reclaimed (5 s flaked once)
                    "--kanbu.worker.lease-duration=10s",
                    "--kanbu.worker.lease-renewal-interval=1s",
                    "--kanbu.worker.pg-bin-dirs=" + doomedTools),
                survivor(SURVIVORS.get(0)),
                survivor(SURVIVORS.get(1))));
    doomed = fleet.get(2);
  }

  private static App survivor(String name) {
    return App.worker(
        name,
        "--kanbu.worker.worker-id=" + name,
        "--kanbu.worker.lease-duration=30s",
        "--kanbu.worker.lease-renewal-interval=5s");
  }

  @AfterAll
  static void stopFleet() throws IOException {
    Files.deleteIfExists(holdDumps);
    if (system != null) {
      system.close();
    }
  }

  @Test
  void threeWorkers_run300Jobs_eachExactlyOnce_andAKilledWorkersJobIsRunAgainByAnother()
      throws Exception {
    long start = System.nanoTime();
    List<String> jobIds = jobs.submit(system, JOBS);
    assertThat(jobIds).hasSize(JOBS).doesNotHaveDuplicates();

    await("the doomed worker has run some jobs")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> succeededOn(DOOMED) >= 10);
    // its next dump waits, so it is killed in the middle of a job
    Files.createFile(holdDumps);
    await("the doomed worker in the middle of a dump")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(dumpHeld));
    List<String> running =
        system.query(
            "SELECT id FROM backup_job WHERE status = 'RUNNING' AND worker_id = '" + DOOMED + "'");
    assertThat(running).as("jobs running on the doomed worker").hasSize(1);
    String killedJob = running.getFirst();
    long doneBeforeKill =
        system.number("SELECT count(*) FROM backup_job WHERE status = 'SUCCEEDED'");
    doomed.kill();
    Files.delete(holdDumps);

    await("every job ended")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> system.number("SELECT count(*) FROM backup_job WHERE finished_at IS NULL") == 0);
    double seconds = (System.nanoTime() - start) / 1e9;

    // nothing lost: every job succeeded
    assertThat(system.query("SELECT status || ' ' || coalesce(error, '') FROM backup_job"))
        .hasSize(JOBS)
        .allMatch(s -> s.startsWith("SUCCEEDED"));
    // the killed job was run again, by another worker, and is the only job that ran twice
    assertThat(system.query("SELECT id FROM backup_job WHERE attempts <> 1"))
        .containsExactly(killedJob);
    assertThat(system.query("SELECT attempts FROM backup_job WHERE id = '" + killedJob + "'"))
        .containsExactly("2");
    assertThat(system.query("SELECT worker_id FROM backup_job WHERE id = '" + killedJob + "'"))
        .singleElement()
        .isIn(SURVIVORS);
    // nothing twice: one backup row, one file and one job.succeeded event per job
    assertThat(system.number("SELECT count(*) FROM backup")).isEqualTo(JOBS);
    assertThat(system.number("SELECT count(DISTINCT job_id) FROM backup")).isEqualTo(JOBS);
    assertThat(
            system.number(
                "SELECT count(*) FROM job_event WHERE event_type = 'job.succeeded'"
                    + " GROUP BY job_id ORDER BY count(*) DESC LIMIT 1"))
        .isEqualTo(1);
    assertThat(
            system.number(
                "SELECT count(DISTINCT job_id) FROM job_event WHERE event_type = 'job.succeeded'"))
        .isEqualTo(JOBS);
    assertThat(system.databaseBackupFiles()).hasSize(JOBS);
    // spread over the workers: every one ran some
    Map<String, Long> perWorker = succeededPerWorker();
    assertThat(perWorker.keySet())
        .containsExactlyInAnyOrder(DOOMED, SURVIVORS.get(0), SURVIVORS.get(1));
    assertThat(perWorker.values()).allMatch(n -> n > 0);
    System.out.printf(
        "WorkerScaleIT: %d jobs in %.1f s (%d done when '%s' was killed); per worker %s%n",
        JOBS, seconds, doneBeforeKill, DOOMED, perWorker);
  }

  private static long succeededOn(String worker) throws Exception {
    return system.number(
        "SELECT count(*) FROM backup_job WHERE status = 'SUCCEEDED' AND worker_id = '"
            + worker
            + "'");
  }

  private static Map<String, Long> succeededPerWorker() throws Exception {
    return system.query("SELECT worker_id FROM backup_job WHERE status = 'SUCCEEDED'").stream()
        .collect(Collectors.groupingBy(w -> String.valueOf(w), Collectors.counting()));
  }

  /**
   * The doomed worker's pg_dump: the real one, except that while the file {@code hold-dumps} exists
   * it first signals {@code dump-held} and waits, so that the test can kill the worker in the
   * middle of a job. The test removes the file after the kill, so the orphan ends too.
   */
  private static void writeHoldablePgDump() throws IOException {
    KanbuSystem.writePgDumpWrapper(
        doomedTools,
        """
        if [ -e "%1$s" ]; then
          touch "%2$s"
          while [ -e "%1$s" ]; do sleep 0.1; done
        fi
        """
            .formatted(holdDumps, dumpHeld));
  }
}
