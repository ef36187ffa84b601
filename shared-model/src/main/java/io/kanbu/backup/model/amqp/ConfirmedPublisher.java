package io.kanbu.backup.model.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a message and waits until the broker has taken responsibility for it: a positive
 * publisher confirm and no return (the message was {@code mandatory}, so an unroutable one comes
 * back). The connection factory must have correlated confirms and returns switched on ({@code
 * spring.rabbitmq.publisher-confirm-type=correlated}, {@code
 * spring.rabbitmq.publisher-returns=true}).
 *
 * <p>Never throws for a broker problem: callers keep their outbox row unpublished and a relay tries
 * again.
 */
public final class ConfirmedPublisher {

  private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);

  private final RabbitTemplate template;
  private final RabbitTemplate eventTemplate;
  private final Duration confirmTimeout;

  public ConfirmedPublisher(RabbitTemplate template, Duration confirmTimeout) {
    this.template = template;
    this.confirmTimeout = confirmTimeout;
    template.setMandatory(true);
    // events are not mandatory: with no subscriber bound the broker would return every one of them
    this.eventTemplate = new RabbitTemplate(template.getConnectionFactory());
    eventTemplate.setMandatory(false);
  }

  /**
   * Publishes a message that must reach a queue, such as a command.
   *
   * @return true if the broker confirmed the message and routed it to at least one queue
   */
  public boolean publish(String exchange, String routingKey, Message message) {
    return send(template, exchange, routingKey, message, true);
  }

  /**
   * Publishes a message that may have no subscriber yet, such as an event: a confirm is enough, and
   * a message nobody is bound to is not an error (it would otherwise be retried forever).
   *
   * @return true if the broker confirmed the message
   */
  public boolean publishEvent(String exchange, String routingKey, Message message) {
    return send(eventTemplate, exchange, routingKey, message, false);
  }

  /**
   * Publishes messages that must reach a queue, all to one exchange and routing key, and waits for
   * their confirms together: one round trip's wait for the lot instead of one per message.
   *
   * @return per message, in order, whether the broker confirmed and routed it
   */
  public List<Boolean> publishAll(String exchange, String routingKey, List<Message> messages) {
    List<CorrelationData> sent = new ArrayList<>(messages.size());
    for (Message message : messages) {
      sent.add(start(template, exchange, routingKey, message));
    }
    List<Boolean> confirmed = new ArrayList<>(messages.size());
    for (CorrelationData correlation : sent) {
      confirmed.add(correlation != null && awaitConfirm(correlation, exchange, routingKey, true));
    }
    return confirmed;
  }

  private boolean send(
      RabbitTemplate via, String exchange, String routingKey, Message message, boolean mustRoute) {
    CorrelationData correlation = start(via, exchange, routingKey, message);
    return correlation != null && awaitConfirm(correlation, exchange, routingKey, mustRoute);
  }

  /** Sends a message with a correlation to wait on; null if it could not be sent. */
  private static @Nullable CorrelationData start(
      RabbitTemplate via, String exchange, String routingKey, Message message) {
    String id = message.getMessageProperties().getMessageId();
    CorrelationData correlation = new CorrelationData(id);
    try {
      via.send(exchange, routingKey, message, correlation);
      return correlation;
    } catch (AmqpException e) {
      log.warn(
          "unable to publish message '{}' to '{}': {}; will retry", id, exchange, e.toString());
      return null;
    }
  }

  private boolean awaitConfirm(
      CorrelationData correlation, String exchange, String routingKey, boolean mustRoute) {
    String id = correlation.getId();
    try {
      CorrelationData.Confirm confirm =
          correlation.getFuture().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (mustRoute && correlation.getReturned() != null) {
        log.warn(
            "message '{}' to exchange '{}' with routing key '{}' was not routed to any queue: {}",
            id,
            exchange,
            routingKey,
            correlation.getReturned().getReplyText());
        return false;
      }
      if (!confirm.ack()) {
        log.warn("broker refused message '{}': {}", id, confirm.reason());
        return false;
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      log.warn(
          "unable to publish message '{}' to '{}': {}; will retry", id, exchange, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
