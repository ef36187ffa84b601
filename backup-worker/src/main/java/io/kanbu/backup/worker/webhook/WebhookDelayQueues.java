package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages;
import io.kanbu.backup.model.messaging.MessagingTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The webhook queues, and how a delivery waits for its next attempt without a sleeping thread.
 *
 * <p>A delay queue per tier (250 ms, 1 s, 5 s, 30 s, 2 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h)
 * has a fixed time to live and dead-letters expired messages back to the deliveries queue. The
 * tiers are fixed, so their declarations never change (RabbitMQ refuses a redeclaration with
 * another TTL), whatever the delay: a delay is made of the largest tier that fits, and a message
 * that comes back before its delivery is due (the catalog's {@code next_attempt_at}) is parked
 * again for the rest. A per-message TTL would need no tiers, but a queue expires only its head: a
 * long delay would hold up the short ones behind it.
 */
public final class WebhookDelayQueues {

  private static final Logger log = LoggerFactory.getLogger(WebhookDelayQueues.class);

  /** The tiers, shortest first; each is one queue. */
  static final List<Duration> TIERS =
      List.of(
          Duration.ofMillis(250),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10),
          Duration.ofHours(24));

  /** A delivery due within this is attempted now rather than parked again. */
  static final Duration DUE_TOLERANCE = Duration.ofMillis(100);

  private final WebhookProperties props;
  private final ConfirmedPublisher publisher;

  public WebhookDelayQueues(WebhookProperties props, ConfirmedPublisher publisher) {
    this.props = props;
    this.publisher = publisher;
  }

  /** The fan-out queue bound to every event, the deliveries queue, and the delay queues. */
  public Declarables declarables() {
    List<Declarable> all = new ArrayList<>();
    TopicExchange events = new TopicExchange(MessagingTopology.EVENTS_EXCHANGE, true, false);
    Queue notifications =
        QueueBuilder.durable(props.notificationsQueue())
            .withArguments(withExpiry(MessagingTopology.webhookQueueArguments()))
            .build();
    Binding everyEvent = BindingBuilder.bind(notifications).to(events).with("#");
    Queue deliveries =
        QueueBuilder.durable(props.deliveriesQueue())
            .withArguments(withExpiry(MessagingTopology.webhookQueueArguments()))
            .build();
    all.add(events);
    all.add(notifications);
    all.add(everyEvent);
    all.add(deliveries);
    for (Duration tier : TIERS) {
      all.add(
          QueueBuilder.durable(queueName(tier))
              .withArguments(
                  withExpiry(
                      MessagingTopology.webhookDelayQueueArguments(
                          tier.toMillis(), props.deliveriesQueue())))
              .build());
    }
    return new Declarables(all);
  }

  private Map<String, Object> withExpiry(Map<String, Object> arguments) {
    Duration expiry = props.unusedQueueExpiry();
    if (expiry == null) {
      return arguments;
    }
    Map<String, Object> withExpiry = new HashMap<>(arguments);
    withExpiry.put("x-expires", expiry.toMillis());
    return withExpiry;
  }

  /** The tier a wait of {@code delay} starts with: the largest that fits, at least the shortest. */
  static Duration tierFor(Duration delay) {
    Duration chosen = TIERS.getFirst();
    for (Duration tier : TIERS) {
      if (tier.compareTo(delay) <= 0) {
        chosen = tier;
      }
    }
    return chosen;
  }

  String queueName(Duration tier) {
    long ms = tier.toMillis();
    String label =
        ms % 3_600_000 == 0
            ? ms / 3_600_000 + "h"
            : ms % 60_000 == 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    return props.delayQueuePrefix() + label;
  }

  /**
   * Parks the next attempt of a delivery for about {@code delay} (one tier; it is parked again on
   * its return if that was not enough).
   *
   * @return false if the broker did not take it; the sweep sends it once it is overdue
   */
  public boolean park(WebhookDeliveryMessages.Attempt attempt, Duration delay) {
    String queue = queueName(tierFor(delay));
    boolean sent = publisher.publish("", queue, WebhookDeliveryMessages.of(attempt));
    if (!sent) {
      log.warn(
          "delivery {} attempt {} not parked in '{}'; the sweep will send it",
          attempt.deliveryId(),
          attempt.attempt(),
          queue);
    }
    return sent;
  }

  /**
   * Queues an attempt that is due now.
   *
   * @return false if the broker did not take it; the sweep sends it once it is overdue
   */
  public boolean sendNow(WebhookDeliveryMessages.Attempt attempt) {
    return sendAllNow(List.of(attempt)) == 1;
  }

  /**
   * Queues attempts that are due now, waiting for the broker's confirms of all of them at once.
   *
   * @return how many the broker took; the sweep sends the others once they are overdue
   */
  public int sendAllNow(List<WebhookDeliveryMessages.Attempt> attempts) {
    List<Boolean> sent =
        publisher.publishAll(
            "",
            props.deliveriesQueue(),
            attempts.stream().map(WebhookDeliveryMessages::of).toList());
    int taken = 0;
    for (int i = 0; i < attempts.size(); i++) {
      if (sent.get(i)) {
        taken++;
      } else {
        log.warn(
            "delivery {} attempt {} not queued; the sweep will send it",
            attempts.get(i).deliveryId(),
            attempts.get(i).attempt());
      }
    }
    return taken;
  }
}
