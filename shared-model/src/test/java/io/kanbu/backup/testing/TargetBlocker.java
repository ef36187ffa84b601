package io.kanbu.backup.testing;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@code BACKUP_DATABASE} job that runs on a target in the catalog, as if another worker ran it:
 * it holds the target's lock until {@link #close()} fails it.
 */
public final class TargetBlocker implements AutoCloseable {

  private final BackupJobRepository jobs;
  private final TransactionTemplate transactions;
  private final UUID jobId = UUID.randomUUID();

  /** Inserts and claims the job for worker {@code test-blocker}. */
  public TargetBlocker(BackupJobRepository jobs, TransactionTemplate transactions, String target) {
    this.jobs = jobs;
    this.transactions = transactions;
    Instant now = Instant.now();
    BackupJob job =
        BackupJob.queued(
            jobId, JobType.BACKUP_DATABASE, target, TriggerSource.API, "test", null, 1, now);
    job.markPublished(now);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(job);
          jobs.claim(jobId, "test-blocker", now.plus(Duration.ofMinutes(10)), now);
        });
  }

  /** Ends the job, releasing the target. */
  @Override
  public void close() {
    transactions.executeWithoutResult(
        tx -> jobs.findForUpdate(jobId).orElseThrow().fail("test blocker released", Instant.now()));
  }
}
