package io.kanbu.backup.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.testing.ExternalServices;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(classes = CatalogTestApplication.class)
@ExtendWith(ExternalServices.class)
class CatalogIT {

  private static final String DATABASE = "kanbu_it_model";
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @DynamicPropertySource
  static void catalog(DynamicPropertyRegistry registry) {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(DATABASE);
    registry.add("spring.datasource.url", () -> pg.jdbcUrl(DATABASE));
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
  }

  @Autowired BackupJobRepository jobs;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate transactions;

  @BeforeEach
  void emptyCatalog() {
    jdbc.execute("TRUNCATE job_event, backup, backup_job CASCADE");
  }

  @Test
  void claim_letsExactlyOneWorkerWin_andADuplicateGetsNothing() {
    BackupJob job = save(queued("default"));

    assertThat(claim(job.getId(), "worker-a", NOW)).isEqualTo(1);
    assertThat(claim(job.getId(), "worker-b", NOW)).isZero();

    BackupJob running = jobs.findById(job.getId()).orElseThrow();
    assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
    assertThat(running.getWorkerId()).isEqualTo("worker-a");
    assertThat(running.getAttempts()).isEqualTo(1);
  }

  @Test
  void claim_underConcurrency_hasOneWinner() throws Exception {
    BackupJob job = save(queued("default"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String worker = "worker-" + i;
        Callable<Integer> attempt = () -> claim(job.getId(), worker, NOW);
        results.add(pool.submit(attempt));
      }
      int winners = 0;
      for (Future<Integer> result : results) {
        winners += result.get();
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void claim_takesOverAJobWhoseLeaseExpired() {
    BackupJob job = save(queued("default"));
    claim(job.getId(), "worker-a", NOW);

    int laterClaim = claim(job.getId(), "worker-b", NOW.plus(Duration.ofMinutes(5)));

    assertThat(laterClaim).isEqualTo(1);
    BackupJob taken = jobs.findById(job.getId()).orElseThrow();
    assertThat(taken.getWorkerId()).isEqualTo("worker-b");
    assertThat(taken.getAttempts()).isEqualTo(2);
  }

  @Test
  void secondRunningJobOnTheSameDatabase_isRefusedByTheCatalog() {
    BackupJob first = save(queued("default"));
    BackupJob second = save(queued("default"));
    BackupJob otherTarget = save(queued("billing"));
    claim(first.getId(), "worker-a", NOW);

    assertThatThrownBy(() -> claim(second.getId(), "worker-b", NOW))
        .isInstanceOf(DataIntegrityViolationException.class);
    assertThat(claim(otherTarget.getId(), "worker-b", NOW)).isEqualTo(1);
  }

  @Test
  void renewLease_failsForAWorkerThatLostTheJob() {
    BackupJob job = save(queued("default"));
    claim(job.getId(), "worker-a", NOW);
    claim(job.getId(), "worker-b", NOW.plus(Duration.ofMinutes(5)));

    Integer renewed =
        transactions.execute(
            tx -> jobs.renewLease(job.getId(), "worker-a", NOW.plus(Duration.ofMinutes(10)), NOW));

    assertThat(renewed).isZero();
  }

  @Test
  void unpublishedJobs_areHandedToTheRelay_onlyAfterTheGracePeriod() {
    BackupJob fresh = save(queued("default"));
    BackupJob published = queued("billing");
    published.markPublished(NOW);
    save(published);

    List<BackupJob> early = lockUnpublished(NOW.minusSeconds(5));
    List<BackupJob> late = lockUnpublished(NOW.plusSeconds(5));

    assertThat(early).isEmpty();
    assertThat(late).extracting(BackupJob::getId).containsExactly(fresh.getId());
  }

  @Test
  void expiredLease_requeuesUntilMaxAttempts_thenFails() {
    BackupJob job = save(queued("default"));
    for (int attempt = 1; attempt <= 3; attempt++) {
      Instant at = NOW.plus(Duration.ofMinutes(10L * attempt));
      claim(job.getId(), "worker-" + attempt, at);
      Instant afterLease = at.plus(Duration.ofMinutes(2));
      Boolean requeued =
          transactions.execute(
              tx -> {
                List<BackupJob> expired = jobs.lockExpiredLeases(afterLease, 10);
                assertThat(expired).hasSize(1);
                return expired.getFirst().recoverFromExpiredLease(afterLease);
              });
      assertThat(requeued).isEqualTo(attempt < 3);
    }

    BackupJob failed = jobs.findById(job.getId()).orElseThrow();
    assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.getError()).contains("used all 3 attempts");
  }

  @Test
  void statusOutsideTheStateMachine_isRejectedByTheCheckConstraint() {
    BackupJob job = save(queued("default"));

    assertThatThrownBy(
            () -> jdbc.update("UPDATE backup_job SET status = 'DONE' WHERE id = ?", job.getId()))
        .isInstanceOf(DataIntegrityViolationException.class);
  }

  private BackupJob queued(String target) {
    return BackupJob.queued(
        UUID.randomUUID(),
        JobType.BACKUP_DATABASE,
        target,
        TriggerSource.API,
        "test",
        null,
        3,
        NOW);
  }

  private BackupJob save(BackupJob job) {
    return transactions.execute(tx -> jobs.save(job));
  }

  private int claim(UUID id, String worker, Instant at) {
    Integer claimed =
        transactions.execute(
            tx ->
                jobs.claim(
                    id, worker, at.plus(Duration.ofMinutes(1)), at.truncatedTo(ChronoUnit.MICROS)));
    return claimed == null ? 0 : claimed;
  }

  private List<BackupJob> lockUnpublished(Instant before) {
    return transactions.execute(tx -> jobs.lockUnpublished(before, 10));
  }
}
