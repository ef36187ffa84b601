package io.kanbu.backup.scheduler.lease;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.enqueue.JobEnqueuer;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recovers running jobs whose worker stopped renewing the lease (it crashed, was killed, or lost
 * the catalog). Each such job is re-queued while it has attempts left (its command is then
 * published again by the command relay, since the job is unpublished) or failed with the reason, in
 * which case its {@code job.failed} event is recorded in the event outbox in the same transaction.
 * Rows are locked with {@code SKIP LOCKED}, so any number of scheduler replicas can reap side by
 * side.
 */
@Component
public class LeaseReaper {

  /** Jobs handled per transaction; a full batch makes the reaper go on with the next one. */
  static final int BATCH = 100;

  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  private final BackupJobRepository jobs;
  private final JobEventRecordRepository events;
  private final MessageCodec codec;
  private final TransactionTemplate transactions;
  private final Clock clock;

  LeaseReaper(
      BackupJobRepository jobs,
      JobEventRecordRepository events,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock) {
    this.jobs = jobs;
    this.events = events;
    this.codec = codec;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Re-queues or fails every running job whose lease has expired.
   *
   * @return how many jobs were recovered
   */
  public int reapExpiredLeases() {
    int total = 0;
    int batch;
    do {
      batch = reapBatch();
      total += batch;
    } while (batch == BATCH);
    return total;
  }

  private int reapBatch() {
    Integer reaped =
        transactions.execute(
            tx -> {
              Instant now = clock.instant();
              List<BackupJob> expired = jobs.lockExpiredLeases(now, BATCH);
              for (BackupJob job : expired) {
                MDC.put(JobEnqueuer.JOB_ID_MDC_KEY, job.getId().toString());
                String worker = job.getWorkerId();
                Instant leaseUntil = job.getLeaseUntil();
                if (job.recoverFromExpiredLease(now)) {
                  log.warn(
                      "job {} QUEUED again ({} on '{}'): worker '{}' let its lease expire at {};"
                          + " {} of {} attempts used",
                      job.getId(),
                      job.getType(),
                      job.getTarget(),
                      worker,
                      leaseUntil,
                      job.getAttempts(),
                      job.getMaxAttempts());
                } else {
                  events.save(JobEventRecord.jobEnded(job, null, codec, now));
                  log.error(
                      "job {} FAILED ({} on '{}'): {}",
                      job.getId(),
                      job.getType(),
                      job.getTarget(),
                      job.getError());
                }
                MDC.remove(JobEnqueuer.JOB_ID_MDC_KEY);
              }
              return expired.size();
            });
    return reaped == null ? 0 : reaped;
  }
}
