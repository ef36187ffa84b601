package io.kanbu.backup.model.amqp;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessagingTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job row is the outbox of its command. Whoever creates a job calls {@link #publish} after the
 * row committed; {@link #relayPending} runs periodically and publishes again every queued job the
 * broker never confirmed (broker down at trigger time, a crash between insert and publish, a job
 * handed back by the reaper or by a worker whose target was busy). Duplicates are harmless: the
 * worker's claim lets one through.
 */
public final class CommandOutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(CommandOutboxRelay.class);
  private static final int BATCH = 100;

  private final BackupJobRepository jobs;
  private final ConfirmedPublisher publisher;
  private final CommandMessages messages;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration grace;

  /**
   * @param grace how long a job may stay unconfirmed before the relay publishes it again
   */
  public CommandOutboxRelay(
      BackupJobRepository jobs,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock,
      Duration grace) {
    this.jobs = jobs;
    this.publisher = publisher;
    this.messages = messages;
    this.transactions = transactions;
    this.clock = clock;
    this.grace = grace;
  }

  /** The command for a job, as it goes on the queue. */
  public static BackupCommand commandFor(BackupJob job) {
    BackupJob.RestoreDetails restore = job.getRestoreDetails();
    if (restore != null) {
      return BackupCommand.restore(
          job.getId(),
          job.getTarget(),
          job.getTriggerSource(),
          job.getRequestedBy(),
          job.getCreatedAt(),
          java.util.Objects.requireNonNull(job.getBackupId(), "restore job without backupId"),
          restore.database(),
          restore.terminateConnections(),
          restore.safetyBackupWaiver());
    }
    if (job.getType() == JobType.VERIFY) {
      return BackupCommand.verify(
          job.getId(),
          job.getTarget(),
          job.getTriggerSource(),
          job.getRequestedBy(),
          job.getCreatedAt(),
          java.util.Objects.requireNonNull(job.getBackupId(), "VERIFY job without backupId"),
          job.isDrill());
    }
    BackupJob.SourceRestoreDetails sourceRestore = job.getSourceRestoreDetails();
    UUID backupId = job.getBackupId();
    if (job.getType() == JobType.RESTORE_SOURCE && sourceRestore != null && backupId != null) {
      return BackupCommand.sourceRestore(
          job.getId(),
          job.getTarget(),
          job.getTriggerSource(),
          job.getRequestedBy(),
          job.getCreatedAt(),
          backupId,
          sourceRestore.directory(),
          sourceRestore.overwriteLiveTree());
    }
    // a single-backup REKEY, a REPLICATE and a DELETE_BACKUP carry their backup; jobs that make one
    // have none yet
    boolean aboutOneBackup =
        job.getType() == JobType.REKEY
            || job.getType() == JobType.REPLICATE
            || job.getType() == JobType.DELETE_BACKUP;
    return BackupCommand.of(
        job.getId(),
        job.getType(),
        job.getTarget(),
        job.getTriggerSource(),
        job.getRequestedBy(),
        job.getCreatedAt(),
        aboutOneBackup ? job.getBackupId() : null);
  }

  /**
   * Publishes the command of a committed job and records the confirmation.
   *
   * @return true if the broker confirmed it; false leaves it to the relay
   */
  public boolean publish(BackupJob job) {
    if (!send(job)) {
      return false;
    }
    transactions.executeWithoutResult(tx -> jobs.markPublished(job.getId(), clock.instant()));
    return true;
  }

  /**
   * Publishes every queued job left unconfirmed for longer than the grace period.
   *
   * @return how many commands the broker confirmed
   */
  public int relayPending() {
    Integer published =
        transactions.execute(
            tx -> {
              List<BackupJob> pending = jobs.lockUnpublished(clock.instant().minus(grace), BATCH);
              int confirmed = 0;
              for (BackupJob job : pending) {
                if (!send(job)) {
                  break; // the broker is away; the rest waits for the next round
                }
                jobs.markPublished(job.getId(), clock.instant());
                confirmed++;
                log.info(
                    "relayed command of job {} ({} on '{}')",
                    job.getId(),
                    job.getType(),
                    job.getTarget());
              }
              return confirmed;
            });
    return published == null ? 0 : published;
  }

  /**
   * Publishes again the command of every job still queued {@code staleAfter} after the broker
   * confirmed it. A confirmed command can still be lost to the job: a worker that cannot reach the
   * catalog hands the message back, and after the queue's delivery limit the broker dead-letters it
   * while the job stays QUEUED. A duplicate of a command still waiting in the queue is harmless
   * (the claim lets one through), so this needs no way to tell the two cases apart.
   *
   * @return how many commands the broker confirmed
   */
  public int relayStale(Duration staleAfter) {
    Integer published =
        transactions.execute(
            tx -> {
              List<BackupJob> stale =
                  jobs.lockStalePublished(clock.instant().minus(staleAfter), BATCH);
              int confirmed = 0;
              for (BackupJob job : stale) {
                if (!send(job)) {
                  break;
                }
                jobs.markRepublished(job.getId(), clock.instant());
                confirmed++;
                log.warn(
                    "job {} ({} on '{}') still QUEUED {} after its command was confirmed; published"
                        + " it again (its message may have been dead-lettered)",
                    job.getId(),
                    job.getType(),
                    job.getTarget(),
                    staleAfter);
              }
              return confirmed;
            });
    return published == null ? 0 : published;
  }

  private boolean send(BackupJob job) {
    return publisher.publish(
        MessagingTopology.COMMANDS_EXCHANGE,
        MessagingTopology.JOBS_ROUTING_KEY,
        messages.command(commandFor(job)));
  }
}
