package io.kanbu.backup.gateway.config;

import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The topology, the confirmed publisher and the command outbox relay (run by {@link
 * OutboxRelaySchedule}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class MessagingConfiguration {

  private final GatewayProperties properties;

  public MessagingConfiguration(GatewayProperties properties) {
    this.properties = properties;
  }

  @Bean
  Declarables kanbuTopology() {
    return KanbuTopology.declarables();
  }

  @Bean
  MessageCodec messageCodec() {
    return new MessageCodec();
  }

  @Bean
  CommandMessages commandMessages(MessageCodec codec) {
    return new CommandMessages(codec);
  }

  @Bean
  ConfirmedPublisher confirmedPublisher(RabbitTemplate rabbitTemplate) {
    return new ConfirmedPublisher(rabbitTemplate, properties.outbox().confirmTimeout());
  }

  @Bean
  CommandOutboxRelay commandOutboxRelay(
      BackupJobRepository jobs,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock) {
    return new CommandOutboxRelay(
        jobs, publisher, messages, transactions, clock, properties.outbox().grace());
  }
}
