package io.kanbu.backup.scheduler.outbox;

import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.messaging.MessagingTopology;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the rows of the event outbox ({@code job_event}) that the broker has not confirmed yet,
 * on {@link MessagingTopology#EVENTS_EXCHANGE} with the event type as routing key. Workers relay
 * the events they record themselves; this relay covers the events the scheduler records (jobs the
 * reaper failed) and any a worker left behind, so events never depend on a worker being up. Rows
 * are locked with {@code SKIP LOCKED}, so relays in several processes never publish the same row at
 * the same time; a duplicate after a crash is possible and subscribers deduplicate on the event id.
 *
 * <p>Written like {@link io.kanbu.backup.model.amqp.CommandOutboxRelay} and free of this app's
 * configuration, so that it can move beside it into shared-model and serve the worker too.
 */
public final class EventOutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(EventOutboxRelay.class);
  private static final int BATCH = 100;

  private final JobEventRecordRepository events;
  private final ConfirmedPublisher publisher;
  private final CommandMessages messages;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Duration grace;

  /**
   * @param grace how long an event may stay unconfirmed before this relay publishes it; gives the
   *     process that recorded it time to publish it first
   */
  public EventOutboxRelay(
      JobEventRecordRepository events,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock,
      Duration grace) {
    this.events = events;
    this.publisher = publisher;
    this.messages = messages;
    this.transactions = transactions;
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * Publishes every event left unconfirmed for longer than the grace period.
   *
   * @return how many events the broker confirmed
   */
  public int relayPending() {
    Integer published =
        transactions.execute(
            tx -> {
              List<JobEventRecord> pending =
                  events.lockUnpublished(clock.instant().minus(grace), BATCH);
              int confirmed = 0;
              for (JobEventRecord event : pending) {
                boolean sent =
                    publisher.publish(
                        MessagingTopology.EVENTS_EXCHANGE,
                        event.getEventType(),
                        messages.event(
                            event.getId().toString(),
                            event.getEventType(),
                            event.getJobId().toString(),
                            event.getPayload().getBytes(StandardCharsets.UTF_8)));
                if (!sent) {
                  break; // the broker is away or nobody listens; the rest waits for the next run
                }
                event.markPublished(clock.instant());
                confirmed++;
                log.info(
                    "relayed event {} '{}' of job {}",
                    event.getId(),
                    event.getEventType(),
                    event.getJobId());
              }
              return confirmed;
            });
    return published == null ? 0 : published;
  }
}
