package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.model.amqp.WebhookDeliveryMessages.Attempt;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends again the attempts whose message is lost: a delivery still pending well after it was due
 * (the publish after a commit failed, the broker dropped a message past its delivery limit, or a
 * worker died during an attempt). The catalog is the record; the queues only carry the timing. A
 * message sent here beside one that was merely late is harmless: the second finds its attempt
 * claimed and is dropped.
 */
@Component
public class WebhookDeliverySweep {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverySweep.class);
  private static final int BATCH = 100;

  private final WebhookDeliveryRepository deliveries;
  private final WebhookDelayQueues queues;
  private final WebhookProperties props;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public WebhookDeliverySweep(
      WebhookDeliveryRepository deliveries,
      WebhookDelayQueues queues,
      WebhookProperties props,
      TransactionTemplate transactions,
      Clock clock) {
    this.deliveries = deliveries;
    this.queues = queues;
    this.props = props;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${kanbu.webhook.sweep-interval:30s}",
      initialDelayString = "${kanbu.webhook.sweep-interval:30s}")
  public void sweep() {
    try {
      List<Attempt> lost = Objects.requireNonNull(transactions.execute(tx -> takeOverdue()));
      for (Attempt attempt : lost) {
        queues.sendNow(attempt);
      }
      if (!lost.isEmpty()) {
        log.info("sent {} overdue webhook attempt(s) again", lost.size());
      }
    } catch (RuntimeException e) {
      log.warn("webhook sweep failed: {}; retrying on the next round", e.toString());
    }
  }

  private List<Attempt> takeOverdue() {
    Instant now = clock.instant();
    List<Attempt> lost = new ArrayList<>();
    for (WebhookDelivery delivery : deliveries.findOverdue(now.minus(props.sweepGrace()), BATCH)) {
      // due now, so the next sweep leaves it alone for another grace period
      deliveries.postpone(delivery.getId(), now);
      lost.add(new Attempt(delivery.getId(), delivery.getAttempts() + 1));
    }
    return lost;
  }
}
