package io.kanbu.backup.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/** Plays a worker's claim and success in the catalog, for tests of a gateway without workers. */
public final class WorkerStandIn {

  private final BackupJobRepository jobs;
  private final TransactionTemplate transactions;
  private final String workerId;

  public WorkerStandIn(
      BackupJobRepository jobs, TransactionTemplate transactions, String workerId) {
    this.jobs = jobs;
    this.transactions = transactions;
    this.workerId = workerId;
  }

  /** Waits (10 s at most) for the job a request created under the key, and claims it. */
  public UUID claimJobOf(String idempotencyKey) {
    UUID jobId =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> jobs.findByIdempotencyKey(idempotencyKey).map(BackupJob::getId).orElse(null),
                id -> id != null);
    claim(jobId);
    return jobId;
  }

  /** Claims the queued job for five minutes, as a worker taking its command does. */
  public void claim(UUID jobId) {
    Instant now = Instant.now();
    Integer claimed =
        transactions.execute(
            tx -> jobs.claim(jobId, workerId, now.plus(Duration.ofMinutes(5)), now));
    assertThat(claimed).as("claimed job %s", jobId).isEqualTo(1);
  }

  /** Records the claimed job's success, as its worker does at the end. */
  public void succeed(UUID jobId) {
    transactions.executeWithoutResult(
        tx -> {
          BackupJob job = jobs.findById(jobId).orElseThrow();
          job.succeed(null, Instant.now());
          jobs.save(job);
        });
  }
}
