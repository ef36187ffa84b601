package io.kanbu.backup.scheduler.schedule;

import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.enqueue.JobEnqueuer;
import io.kanbu.backup.model.enqueue.ScheduleFirer;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.scheduler.SchedulerProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The shared job-creation path (the gateway's too) and the runner of due schedules. */
@Configuration(proxyBeanMethods = false)
class ScheduleConfiguration {

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
      Clock clock,
      SchedulerProperties properties,
      ScheduleMetrics metrics) {
    return new ScheduleFirer(
        schedules, firings, backups, enqueuer, transactions, clock, properties.maxAttempts());
  }

  @Bean
  DueScheduleRunner dueScheduleRunner(
      BackupScheduleRepository schedules,
      JobEventRecordRepository events,
      ScheduleFirer firer,
      EventOutboxRelay eventRelay,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock,
      SchedulerProperties properties,
      ScheduleMetrics metrics) {
    return new DueScheduleRunner(
        schedules,
        events,
        firer,
        eventRelay,
        codec,
        transactions,
        clock,
        properties.schedulerMode(),
        properties.misfireGrace(),
        properties.instanceId(),
        metrics);
  }
}
