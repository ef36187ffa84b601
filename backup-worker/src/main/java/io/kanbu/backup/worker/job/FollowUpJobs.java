package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the command of a job this worker queued itself (a {@code REPLICATE} after a backup),
 * once its row committed. The job row is the outbox: if this publish fails, the command relays of
 * the gateway and the scheduler publish it later.
 *
 * <p>The routing key is this worker's jobs queue: in production that is the routing key every
 * command takes; a test that isolates its worker on a private queue gets its follow-ups there.
 */
@Component
public class FollowUpJobs {

  private static final Logger log = LoggerFactory.getLogger(FollowUpJobs.class);

  private final ConfirmedPublisher publisher;
  private final CommandMessages messages;
  private final BackupJobRepository jobs;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;

  public FollowUpJobs(
      ConfirmedPublisher publisher,
      CommandMessages messages,
      BackupJobRepository jobs,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props) {
    this.publisher = publisher;
    this.messages = messages;
    this.jobs = jobs;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
  }

  /** Publishes the command of a committed, queued job; never throws. */
  public void publish(BackupJob job) {
    try {
      boolean confirmed =
          publisher.publish(
              MessagingTopology.COMMANDS_EXCHANGE,
              props.jobsQueue(),
              messages.command(CommandOutboxRelay.commandFor(job)));
      if (confirmed) {
        transactions.executeWithoutResult(tx -> jobs.markPublished(job.getId(), clock.instant()));
      } else {
        log.warn("command of job {} not confirmed; the relays publish it later", job.getId());
      }
    } catch (RuntimeException e) {
      log.warn(
          "unable to publish the command of job {}: {}; the relays publish it later",
          job.getId(),
          e.toString());
    }
  }
}
