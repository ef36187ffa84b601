package io.kanbu.backup.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/** Plays a worker's claim in the catalog, for tests of a gateway without workers. */
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
    Instant now = Instant.now();
    Integer claimed =
        transactions.execute(
            tx -> jobs.claim(jobId, workerId, now.plus(Duration.ofMinutes(5)), now));
    assertThat(claimed).as("claimed job %s", jobId).isEqualTo(1);
    return jobId;
  }
}
