package io.kanbu.backup.model.amqp;

import io.kanbu.backup.model.messaging.MessagingTopology;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/** The exchanges, queues and bindings of {@link MessagingTopology}, ready to declare. */
public final class KanbuTopology {

  /** Everything an app needs declared; every app declares all of it, identically. */
  public static Declarables declarables() {
    DirectExchange commands = new DirectExchange(MessagingTopology.COMMANDS_EXCHANGE, true, false);
    DirectExchange deadLetters =
        new DirectExchange(MessagingTopology.DEAD_LETTER_EXCHANGE, true, false);
    TopicExchange events = new TopicExchange(MessagingTopology.EVENTS_EXCHANGE, true, false);
    Queue jobs =
        QueueBuilder.durable(MessagingTopology.JOBS_QUEUE)
            .withArguments(MessagingTopology.jobsQueueArguments())
            .build();
    Queue dead =
        QueueBuilder.durable(MessagingTopology.DEAD_LETTER_QUEUE)
            .withArguments(MessagingTopology.deadLetterQueueArguments())
            .build();
    Binding jobsBinding =
        BindingBuilder.bind(jobs).to(commands).with(MessagingTopology.JOBS_ROUTING_KEY);
    Binding deadBinding =
        BindingBuilder.bind(dead).to(deadLetters).with(MessagingTopology.DEAD_LETTER_QUEUE);
    return new Declarables(commands, deadLetters, events, jobs, dead, jobsBinding, deadBinding);
  }

  private KanbuTopology() {}
}
