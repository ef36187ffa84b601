package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.model.amqp.WebhookDeliveryMessages.Attempt;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.messaging.InvalidMessageException;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.WebhookPayloads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns each event into one delivery per enabled endpoint whose filter matches, with the body in
 * the endpoint's format, and queues their first attempts. Idempotent: an event the broker hands out
 * again (or the outbox relay published twice) finds its deliveries there and adds none.
 */
@Component
public class WebhookFanOut {

  private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);
  private static final Duration CATALOG_PAUSE = Duration.ofSeconds(1);

  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final WebhookDelayQueues queues;
  private final MessageCodec codec;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public WebhookFanOut(
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      WebhookDelayQueues queues,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.queues = queues;
    this.codec = codec;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * The listener of the notifications queue. A message that is not a valid event is logged and
   * dropped; a catalog failure throws, and the broker hands the event out again.
   */
  public void onMessage(Message message) {
    byte[] event = message.getBody();
    WebhookPayloads.Header header;
    try {
      codec.validateEvent(event);
      header = WebhookPayloads.header(event);
    } catch (InvalidMessageException | IllegalArgumentException e) {
      log.warn(
          "event '{}' not passed on to webhooks: {}",
          message.getMessageProperties().getMessageId(),
          e.getMessage());
      return;
    }
    List<Attempt> created;
    try {
      created =
          Objects.requireNonNull(
              transactions.execute(tx -> fanOut(header, event, clock.instant())));
    } catch (DataAccessException | TransactionException e) {
      // The event goes back to the queue, which hands it out at most WEBHOOK_DELIVERY_LIMIT times:
      // pausing this consumer first makes that limit last through a catalog outage of about as
      // many seconds instead of a few milliseconds.
      log.warn("event {} not fanned out: {}; trying again in {}", header.id(), e, CATALOG_PAUSE);
      pause();
      throw e;
    }
    queues.sendAllNow(created);
  }

  private static void pause() {
    try {
      Thread.sleep(CATALOG_PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Attempt> fanOut(WebhookPayloads.Header header, byte[] event, Instant now) {
    List<Attempt> created = new ArrayList<>();
    for (WebhookEndpoint endpoint : endpoints.findByEnabledTrue()) {
      if (!endpoint.accepts(header.type())) {
        continue;
      }
      UUID deliveryId = UUID.randomUUID();
      String body = WebhookPayloads.asText(WebhookPayloads.render(endpoint.getFormat(), event));
      if (deliveries.insertIfAbsent(
              deliveryId, endpoint.getId(), header.id(), header.type(), body, now)
          == 1) {
        created.add(new Attempt(deliveryId, 1));
      }
    }
    if (!created.isEmpty()) {
      log.info(
          "event {} '{}' fans out to {} webhook endpoint(s)",
          header.id(),
          header.type(),
          created.size());
    }
    return created;
  }
}
