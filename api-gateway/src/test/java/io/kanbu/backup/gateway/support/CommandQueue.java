package io.kanbu.backup.gateway.support;

import io.kanbu.backup.model.messaging.MessagingTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Reads commands from the real {@code kanbu.backup.jobs} queue. No worker runs in these tests, so
 * the test checks the commands itself. Other modules' tests share the broker: messages of other
 * jobs are skipped.
 */
public final class CommandQueue {

  private final RabbitTemplate rabbit;
  private final AmqpAdmin admin;

  public CommandQueue(RabbitTemplate rabbit, AmqpAdmin admin) {
    this.rabbit = rabbit;
    this.admin = admin;
  }

  public void purge() {
    admin.purgeQueue(MessagingTopology.JOBS_QUEUE, false);
  }

  /** Every command of {@code jobId} that arrives within {@code within}. */
  public List<Message> commandsOf(UUID jobId, Duration within) {
    List<Message> found = new ArrayList<>();
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      Message message = rabbit.receive(MessagingTopology.JOBS_QUEUE, 200);
      if (message != null
          && jobId.toString().equals(message.getMessageProperties().getMessageId())) {
        found.add(message);
      }
    }
    return found;
  }

  /** The first command of {@code jobId} that arrives within {@code within}, or null. */
  public Message firstCommandOf(UUID jobId, Duration within) {
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      Message message = rabbit.receive(MessagingTopology.JOBS_QUEUE, 200);
      if (message != null
          && jobId.toString().equals(message.getMessageProperties().getMessageId())) {
        return message;
      }
    }
    return null;
  }
}
