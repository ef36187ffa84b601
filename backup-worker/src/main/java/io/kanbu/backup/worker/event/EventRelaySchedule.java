package io.kanbu.backup.worker.event;

import io.kanbu.backup.model.amqp.EventOutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the shared {@link EventOutboxRelay} every few seconds ({@code
 * KANBU_WORKER_EVENT_RELAY_INTERVAL}), so an event whose first publication failed (broker down,
 * worker died after the commit) is published late rather than never.
 */
@Component
public class EventRelaySchedule {

  private static final Logger log = LoggerFactory.getLogger(EventRelaySchedule.class);

  private final EventOutboxRelay relay;

  public EventRelaySchedule(EventOutboxRelay relay) {
    this.relay = relay;
  }

  @Scheduled(
      fixedDelayString = "${kanbu.worker.event-relay-interval:5s}",
      initialDelayString = "${kanbu.worker.event-relay-interval:5s}")
  public void relayPending() {
    try {
      relay.relayPending();
    } catch (RuntimeException e) {
      log.warn("event relay round failed: {}; retrying on the next round", e.toString());
    }
  }
}
