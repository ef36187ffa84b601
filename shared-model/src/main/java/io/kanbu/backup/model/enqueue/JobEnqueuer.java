package io.kanbu.backup.model.enqueue;

import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues jobs: inserts their rows ({@code QUEUED}, each the outbox of its command) and, once they
 * committed, publishes their commands with confirms. If the broker is away a job stays unpublished
 * and {@link CommandOutboxRelay#relayPending()} publishes it later, so a queued job is never lost.
 * The gateway and the scheduler both create jobs through here.
 */
public final class JobEnqueuer {

  private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);

  /** The MDC key of the job id, in every app's log lines about a job. */
  public static final String JOB_ID_MDC_KEY = "jobId";

  private final BackupJobRepository jobs;
  private final CommandOutboxRelay relay;
  private final TransactionTemplate transactions;

  public JobEnqueuer(
      BackupJobRepository jobs, CommandOutboxRelay relay, TransactionTemplate transactions) {
    this.jobs = jobs;
    this.relay = relay;
    this.transactions = transactions;
  }

  /**
   * New backup jobs of one target, one per type; several types form one recovery point (their jobs
   * share its id).
   *
   * @param idempotencyKey held by the first job only (the catalog keeps the key unique)
   */
  public static List<BackupJob> backupJobs(
      List<JobType> types,
      String target,
      TriggerSource source,
      @Nullable String requestedBy,
      @Nullable String idempotencyKey,
      int maxAttempts,
      Instant now) {
    UUID recoveryPointId = types.size() > 1 ? UUID.randomUUID() : null;
    List<BackupJob> created = new ArrayList<>();
    for (JobType type : types) {
      BackupJob job =
          BackupJob.queued(
              UUID.randomUUID(),
              type,
              target,
              source,
              requestedBy,
              created.isEmpty() ? idempotencyKey : null,
              maxAttempts,
              now);
      if (recoveryPointId != null) {
        job.joinRecoveryPoint(recoveryPointId);
      }
      created.add(job);
    }
    return created;
  }

  /**
   * Inserts the jobs in one transaction and publishes their commands after it committed.
   *
   * @param what describes each job for the log, e.g. {@code VERIFY of backup <id>}
   * @throws org.springframework.dao.DataIntegrityViolationException if a row breaks a constraint
   *     (e.g. a repeated idempotency key); nothing is inserted then
   */
  public List<BackupJob> enqueue(List<BackupJob> created, Function<BackupJob, String> what) {
    insert(created);
    publish(created, what);
    return created;
  }

  /**
   * Inserts the jobs, within the caller's transaction if there is one (so that they commit with
   * what the caller writes beside them, e.g. a schedule's firing), else in their own. The caller
   * calls {@link #publish} once that transaction committed.
   */
  public void insert(List<BackupJob> created) {
    transactions.executeWithoutResult(tx -> created.forEach(jobs::saveAndFlush));
  }

  /**
   * Publishes the commands of committed jobs; a job the broker does not confirm is left to the
   * relay.
   */
  public void publish(List<BackupJob> created, Function<BackupJob, String> what) {
    for (BackupJob job : created) {
      // the job's id in the MDC of the creating request or firing: its QUEUED line carries it as
      // the worker's lines do (the command carries it as its message_id)
      try (MDC.MDCCloseable jobId = MDC.putCloseable(JOB_ID_MDC_KEY, job.getId().toString())) {
        if (relay.publish(job)) {
          log.info("job {} QUEUED: {}", job.getId(), what.apply(job));
        } else {
          log.warn(
              "job {} QUEUED ({}) but not confirmed by the broker yet; the outbox relay will"
                  + " publish it",
              job.getId(),
              what.apply(job));
        }
      }
    }
  }
}
