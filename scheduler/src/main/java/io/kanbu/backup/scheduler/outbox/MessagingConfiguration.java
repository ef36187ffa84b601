package io.kanbu.backup.scheduler.outbox;

import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.scheduler.SchedulerProperties;
import java.time.Clock;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The shared topology and the shared-model publishing pieces, wired for this app. */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

  /** Declared on every (re)connection by Spring AMQP's admin, identically in every app. */
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
  ConfirmedPublisher confirmedPublisher(RabbitTemplate template, SchedulerProperties properties) {
    return new ConfirmedPublisher(template, properties.confirmTimeout());
  }

  @Bean
  CommandOutboxRelay commandOutboxRelay(
      BackupJobRepository jobs,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock,
      SchedulerProperties properties) {
    return new CommandOutboxRelay(
        jobs, publisher, messages, transactions, clock, properties.relayGrace());
  }

  @Bean
  EventOutboxRelay eventOutboxRelay(
      JobEventRecordRepository events,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock,
      SchedulerProperties properties) {
    return new EventOutboxRelay(
        events, publisher, messages, transactions, clock, properties.relayGrace());
  }
}
