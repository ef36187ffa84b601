package io.kanbu.backup.model.amqp;

import io.kanbu.backup.model.messaging.MessagingTopology;
import java.util.Objects;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * The message that asks a worker to make one attempt of a webhook delivery: empty body, {@code
 * message_id} = the delivery id, header {@value MessagingTopology#WEBHOOK_ATTEMPT_HEADER} = the
 * attempt number. Everything else is in the catalog.
 */
public final class WebhookDeliveryMessages {

  /** A delivery and the attempt a message stands for. */
  public record Attempt(UUID deliveryId, int attempt) {
    public Attempt {
      Objects.requireNonNull(deliveryId, "deliveryId");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt is " + attempt + "; at least 1");
      }
    }
  }

  private WebhookDeliveryMessages() {}

  public static Message of(Attempt attempt) {
    return MessageBuilder.withBody(new byte[0])
        .setMessageId(attempt.deliveryId().toString())
        .setHeader(MessagingTopology.WEBHOOK_ATTEMPT_HEADER, attempt.attempt())
        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
        .build();
  }

  /**
   * @throws IllegalArgumentException if it is not such a message
   */
  public static Attempt read(Message message) {
    String id = message.getMessageProperties().getMessageId();
    Object attempt =
        message.getMessageProperties().getHeader(MessagingTopology.WEBHOOK_ATTEMPT_HEADER);
    if (id == null || !(attempt instanceof Number n)) {
      throw new IllegalArgumentException(
          "not a webhook delivery message: message id '"
              + id
              + "', header "
              + MessagingTopology.WEBHOOK_ATTEMPT_HEADER
              + " '"
              + attempt
              + "'");
    }
    return new Attempt(UUID.fromString(id), n.intValue());
  }
}
