package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.testing.ExternalServices;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many small database backups for a fleet of workers: a tiny database, named by several targets
 * (the catalog runs one job per target at a time, so several targets let several workers work at
 * once), and jobs posted round-robin over them through the gateway's trigger.
 */
final class SmallBackupJobs {

  private final int targets;

  /**
   * Creates (again) the tiny database {@code database} and names it by {@code targets} targets in
   * every app of {@code system} ({@code KANBU_TARGETS_T00_DATABASE_URL} and so on).
   */
  SmallBackupJobs(KanbuSystem system, String database, int targets) throws SQLException {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(database);
    pg.execute(
        database,
        "CREATE TABLE item AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20) g");
    this.targets = targets;
    for (int t = 0; t < targets; t++) {
      system.withEnv(
          "KANBU_TARGETS_" + target(t).toUpperCase() + "_DATABASE_URL", pg.databaseUrl(database));
    }
  }

  /** Posts {@code count} backup jobs, round-robin over the targets, four requests at a time. */
  List<String> submit(KanbuSystem system, int count)
      throws InterruptedException, ExecutionException {
    try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
      List<Future<String>> accepted = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String body = "{\"type\":\"database\",\"target\":\"" + target(i % targets) + "\"}";
        accepted.add(
            clients.submit(
                () -> {
                  KanbuSystem.Response response = system.trigger(body, Duration.ZERO);
                  assertThat(response.status()).as(response.raw()).isEqualTo(202);
                  return response.json().get("jobId").asString();
                }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> job : accepted) {
        ids.add(job.get());
      }
      return ids;
    }
  }

  /** A SQL condition that holds for exactly these jobs' rows of {@code backup_job}. */
  static String jobsAmong(List<String> jobIds) {
    return "id = ANY ('{" + String.join(",", jobIds) + "}'::uuid[])";
  }

  private static String target(int index) {
    return "t%02d".formatted(index);
  }
}
