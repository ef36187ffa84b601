package io.kanbu.backup.model.amqp;

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
 * Publishes job events from the event outbox ({@code job_event}) on {@link
 * MessagingTopology#EVENTS_EXCHANGE}, with the event type as routing key. Whoever records an event
 * calls {@link #publish} after the commit; {@link #relayPending} runs periodically in every app
 * that records events and publishes whatever the broker did not confirm (it was down, or the
 * process died in between), so an event can be late but is never lost. Rows are locked with {@code
 * SKIP LOCKED}, so relays in several processes never publish the same row at once; a duplicate
 * after a crash is possible and subscribers deduplicate on the event id.
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
   * @param grace how long an event may stay unconfirmed before the relay publishes it again
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
   * Publishes one committed event and records the confirmation.
   *
   * @return true if the broker confirmed it; false leaves it to the relay
   */
  public boolean publish(JobEventRecord event) {
    if (!send(event)) {
      log.warn(
          "event {} '{}' of {} not confirmed; the relay will retry",
          event.getId(),
          event.getEventType(),
          event.subject());
      return false;
    }
    transactions.executeWithoutResult(
        tx -> events.findById(event.getId()).ifPresent(e -> e.markPublished(clock.instant())));
    return true;
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
                if (!send(event)) {
                  break; // the broker is away; the rest waits for the next round
                }
                event.markPublished(clock.instant());
                confirmed++;
                log.info(
                    "relayed event {} '{}' of {}",
                    event.getId(),
                    event.getEventType(),
                    event.subject());
              }
              return confirmed;
            });
    return published == null ? 0 : published;
  }

  private boolean send(JobEventRecord event) {
    return publisher.publishEvent(
        MessagingTopology.EVENTS_EXCHANGE,
        event.getEventType(),
        messages.event(
            event.getId().toString(),
            event.getEventType(),
            event.getJobId() == null ? null : event.getJobId().toString(),
            event.getPayload().getBytes(StandardCharsets.UTF_8)));
  }
}
