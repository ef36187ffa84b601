package io.kanbu.backup.gateway.config;

import io.kanbu.backup.gateway.metrics.QueueDepths;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.enqueue.JobEnqueuer;
import io.kanbu.backup.model.enqueue.ScheduleFirer;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The topology, the confirmed publisher, the command outbox relay (run by {@link
 * OutboxRelaySchedule}), and the shared job-creation path: {@link JobEnqueuer} for every request
 * that creates jobs, {@link ScheduleFirer} for a schedule's run-now.
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

  /** Queue states for the metrics, from the broker's passive declare. */
  @Bean
  QueueDepths queueDepths(AmqpAdmin admin) {
    return queue -> {
      try {
        Properties info = admin.getQueueProperties(queue);
        if (info == null
            || !(info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) instanceof Number messages)
            || !(info.get(RabbitAdmin.QUEUE_CONSUMER_COUNT) instanceof Number consumers)) {
          return Optional.empty();
        }
        return Optional.of(new QueueDepths.QueueState(messages.longValue(), consumers.longValue()));
      } catch (AmqpException e) {
        return Optional.empty();
      }
    };
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

  @Bean
  JobEnqueuer jobEnqueuer(
      BackupJobRepository jobs, CommandOutboxRelay relay, TransactionTemplate transactions) {
    return new JobEnqueuer(jobs, relay, transactions);
  }

  @Bean
  ScheduleFirer scheduleFirer(
      BackupScheduleRepository schedules,
      ScheduleFiringRepository firings,
      BackupRecordRepository backups,
      JobEnqueuer enqueuer,
      TransactionTemplate transactions,
      Clock clock) {
    return new ScheduleFirer(
        schedules,
        firings,
        backups,
        enqueuer,
        transactions,
        clock,
        properties.trigger().maxAttempts());
  }
}
