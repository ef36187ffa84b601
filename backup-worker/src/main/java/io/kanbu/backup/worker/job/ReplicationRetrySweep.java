package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retries copies as their own jobs: queues a {@code REPLICATE} for every backup with a failed,
 * missing or corrupt copy whose next attempt is due (a failed copy waits {@code
 * BACKUP_REPLICATION_RETRY_PAUSE}, doubled per failure, at most 6 hours). The copies are locked and
 * their next attempt cleared in the transaction that queues the job, so workers sweeping at the
 * same time queue one job per backup; the job's end sets the next attempt again if it fails.
 */
@Component
public class ReplicationRetrySweep {

  private static final Logger log = LoggerFactory.getLogger(ReplicationRetrySweep.class);
  private static final int BATCH = 50;

  private final BackupCopyRepository copies;
  private final BackupRecordRepository backups;
  private final BackupCopyLedger ledger;
  private final FollowUpJobs followUps;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public ReplicationRetrySweep(
      BackupCopyRepository copies,
      BackupRecordRepository backups,
      BackupCopyLedger ledger,
      FollowUpJobs followUps,
      TransactionTemplate transactions,
      Clock clock) {
    this.copies = copies;
    this.backups = backups;
    this.ledger = ledger;
    this.followUps = followUps;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${kanbu.replication.retry-interval:30s}",
      initialDelayString = "${kanbu.replication.retry-interval:30s}")
  public void sweep() {
    try {
      List<BackupJob> queued = Objects.requireNonNull(transactions.execute(tx -> queueDue()));
      queued.forEach(followUps::publish);
      if (!queued.isEmpty()) {
        log.info("queued {} REPLICATE job(s) for copies due for another attempt", queued.size());
      }
    } catch (RuntimeException e) {
      log.warn("replication retry failed: {}; retrying on the next round", e.toString());
    }
  }

  private List<BackupJob> queueDue() {
    Instant now = clock.instant();
    List<BackupJob> queued = new ArrayList<>();
    for (UUID backupId : copies.findBackupsDueForRepair(now, BATCH)) {
      List<BackupCopy> due =
          copies.lockByBackupId(backupId).stream()
              .filter(c -> c.getStatus().needsRepair())
              .filter(c -> c.getNextAttemptAt() != null && !c.getNextAttemptAt().isAfter(now))
              .toList();
      if (due.isEmpty()) {
        continue; // another worker queued it while this one waited for the lock
      }
      due.forEach(c -> c.repairQueued(now));
      backups
          .findById(backupId)
          .ifPresent(
              backup ->
                  queued.add(ledger.queueReplication(backup, TriggerSource.SCHEDULE, null, now)));
    }
    return queued;
  }
}
