package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.system.KanbuSystem.App;
import io.kanbu.backup.testing.ExternalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs per second with 3, 2 and 1 worker processes for the same batch of small database backups
 * (run by {@code bench/workers.sh}; its name matches neither {@code *Test} nor {@code *IT}, so the
 * build never runs it on its own).
 *
 * <p>Three workers start together with the gateway and one scheduler, and a warm-up batch runs on
 * all of them. Then a batch runs on three, one worker stops (SIGTERM, graceful), the same batch
 * runs on two, another stops, the batch runs on one: every measured worker is warm. A batch's rate
 * is its job count over the time from its first claim to its last end, read from the catalog.
 *
 * <p>Settings (system properties): {@code bench.jobs} (jobs per batch, default 150), {@code
 * bench.targets} (default 6), {@code bench.warmup} (default 30), {@code bench.summary} (a file to
 * write the table to, optional).
 */
@ExtendWith(ExternalServices.class)
class WorkerThroughputBench {

  private static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");

  @TempDir Path storage;

  @Test
  void jobsPerSecond_with3_2_and1Workers() throws Exception {
    int batch = Integer.getInteger("bench.jobs", 150);
    int targets = Integer.getInteger("bench.targets", 6);
    int warmup = Integer.getInteger("bench.warmup", 30);
    String database = "kanbu_bench_workers_source" + SUFFIX;
    try (KanbuSystem system =
        new KanbuSystem("kanbu_bench_workers_catalog" + SUFFIX, database, storage)) {
      SmallBackupJobs jobs = new SmallBackupJobs(system, database, targets);
      system.startGateway();
      List<AppProcess> workers =
          new ArrayList<>(
              system.startTogether(
                  List.of(
                      App.scheduler("bench-scheduler"),
                      App.worker("bench-worker-1", "--kanbu.worker.worker-id=bench-worker-1"),
                      App.worker("bench-worker-2", "--kanbu.worker.worker-id=bench-worker-2"),
                      App.worker("bench-worker-3", "--kanbu.worker.worker-id=bench-worker-3"))));
      workers.removeFirst(); // the scheduler
      runBatch(system, jobs, warmup);

      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT,
              "Kanbu Backup worker scaling, %s, %d CPUs: %d small database backups per batch over"
                  + " %d targets (warm-up %d)",
              Instant.now(),
              Runtime.getRuntime().availableProcessors(),
              batch,
              targets,
              warmup));
      lines.add(
          String.format(Locale.ROOT, "%-8s %8s %10s %8s", "workers", "seconds", "jobs/s", "x 1"));
      double[] rates = new double[4];
      for (int n = 3; n >= 1; n--) {
        Measured run = runBatch(system, jobs, batch);
        rates[n] = run.jobsPerSecond();
        if (n > 1) {
          workers.removeLast().close();
        }
      }
      for (int n = 1; n <= 3; n++) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%-8d %8.1f %10.2f %8.2f",
                n,
                batch / rates[n],
                rates[n],
                rates[n] / rates[1]));
      }
      String summary = String.join("\n", lines);
      System.out.println(summary);
      String file = System.getProperty("bench.summary", "");
      if (!file.isBlank()) {
        Files.writeString(Path.of(file), summary + "\n");
      }
    }
  }

  /** Runs one batch to its end; every job must succeed. */
  private static Measured runBatch(KanbuSystem system, SmallBackupJobs jobs, int count)
      throws Exception {
    List<String> ids = jobs.submit(system, count);
    String these = SmallBackupJobs.jobsAmong(ids);
    await("a batch of " + count + " jobs")
        .atMost(Duration.ofMinutes(15))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                system.number(
                        "SELECT count(*) FROM backup_job WHERE finished_at IS NULL AND " + these)
                    == 0);
    assertThat(
            system.query(
                "SELECT status || ' ' || coalesce(error, '') FROM backup_job WHERE " + these))
        .allMatch(s -> s.startsWith("SUCCEEDED"));
    long millis =
        system.number(
            "SELECT (extract(epoch FROM max(finished_at) - min(started_at)) * 1000)::bigint"
                + " FROM backup_job WHERE "
                + these);
    return new Measured(count, millis);
  }

  private record Measured(int jobs, long millis) {
    double jobsPerSecond() {
      return jobs * 1000.0 / millis;
    }
  }
}
