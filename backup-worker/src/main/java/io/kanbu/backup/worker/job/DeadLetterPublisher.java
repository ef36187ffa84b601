package io.kanbu.backup.worker.job;

import com.rabbitmq.client.Delivery;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.stereotype.Component;

/**
 * Moves a command that can never be processed to the dead-letter queue: the original body and
 * properties, plus {@value MessagingTopology#REJECTION_REASON_HEADER} saying why. The worker
 * republishes (with a confirm) instead of rejecting, because a broker-side dead-lettering cannot
 * carry the reason.
 */
@Component
public class DeadLetterPublisher {

  /** Longest reason kept in the header. */
  static final int MAX_REASON_LENGTH = 2000;

  private final ConfirmedPublisher publisher;
  private final Clock clock;
  private final WorkerProperties props;
  private final Counter deadLettered;
  private final DefaultMessagePropertiesConverter converter =
      new DefaultMessagePropertiesConverter();

  public DeadLetterPublisher(
      ConfirmedPublisher publisher, Clock clock, WorkerProperties props, MeterRegistry registry) {
    this.publisher = publisher;
    this.clock = clock;
    this.props = props;
    this.deadLettered =
        Counter.builder("kanbu.backup.dead.lettered.messages")
            .description("Commands this worker moved to the dead-letter queue, with the reason")
            .tag("queue", MessagingTopology.DEAD_LETTER_QUEUE)
            .register(registry);
  }

  /**
   * @return true if the broker confirmed the dead letter; only then may the original be acked
   */
  public boolean publish(Delivery original, String reason) {
    MessageProperties properties =
        converter.toMessageProperties(original.getProperties(), original.getEnvelope(), "UTF-8");
    properties.setHeader(
        MessagingTopology.REJECTION_REASON_HEADER,
        reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH));
    properties.setHeader("x-kanbu-rejected-by", props.workerId());
    properties.setHeader("x-kanbu-rejected-at", clock.instant().toString());
    properties.setHeader("x-kanbu-original-exchange", original.getEnvelope().getExchange());
    properties.setHeader("x-kanbu-original-routing-key", original.getEnvelope().getRoutingKey());
    if (properties.getMessageId() == null) {
      // the publisher correlates confirms by message id
      properties.setMessageId("dead-" + java.util.UUID.randomUUID());
    }
    boolean confirmed =
        publisher.publish(
            MessagingTopology.DEAD_LETTER_EXCHANGE,
            MessagingTopology.DEAD_LETTER_QUEUE,
            new Message(original.getBody(), properties));
    if (confirmed) {
      deadLettered.increment();
    }
    return confirmed;
  }
}
