package io.kanbu.backup.model.amqp;

import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/** Turns contracts into AMQP messages with the properties documented in docs/messages.md. */
public final class CommandMessages {

  private final MessageCodec codec;

  public CommandMessages(MessageCodec codec) {
    this.codec = codec;
  }

  /** A persistent command whose {@code message_id} is the job id. */
  public Message command(BackupCommand command) {
    return MessageBuilder.withBody(codec.encode(command))
        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
        .setContentEncoding("utf-8")
        .setMessageId(command.jobId().toString())
        .setType("BackupCommand.v" + command.schemaVersion())
        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
        .setHeader(MessagingTopology.JOB_ID_HEADER, command.jobId().toString())
        .build();
  }

  /** A persistent event whose {@code message_id} is the event id. */
  public Message event(JobEvent event) {
    return event(
        event.id().toString(), event.type(), event.data().jobId().toString(), codec.encode(event));
  }

  /** An event from its stored, already encoded form (the event outbox keeps the exact bytes). */
  public Message event(String eventId, String eventType, @Nullable String jobId, byte[] body) {
    MessageBuilderSupport<Message> message =
        MessageBuilder.withBody(body)
            .setContentType(MessageProperties.CONTENT_TYPE_JSON)
            .setContentEncoding("utf-8")
            .setMessageId(eventId)
            .setType(eventType)
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    if (jobId != null) {
      message.setHeader(MessagingTopology.JOB_ID_HEADER, jobId);
    }
    return message.build();
  }
}
