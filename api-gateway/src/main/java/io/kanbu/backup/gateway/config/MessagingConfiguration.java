package io.kanbu.backup.gateway.config;

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
import org.springframework.amqp.core.Declarables;
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
