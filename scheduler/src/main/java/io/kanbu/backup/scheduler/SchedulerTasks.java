package io.kanbu.backup.scheduler;

import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.scheduler.lease.LeaseReaper;
import io.kanbu.backup.scheduler.outbox.CommandRelayTask;
import io.kanbu.backup.scheduler.schedule.DueScheduleRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The periodic tasks and their intervals, in one place. Registered here rather than with
 * {@code @Scheduled} placeholders so that the intervals come from the validated {@link
 * SchedulerProperties} and their defaults are written down once.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerTasks implements SchedulingConfigurer {

  private final SchedulerProperties properties;
  private final LeaseReaper reaper;
  private final CommandRelayTask commandRelay;
  private final EventOutboxRelay eventRelay;
  private final DueScheduleRunner schedules;

  SchedulerTasks(
      SchedulerProperties properties,
      LeaseReaper reaper,
      CommandRelayTask commandRelay,
      EventOutboxRelay eventRelay,
      DueScheduleRunner schedules) {
    this.properties = properties;
    this.reaper = reaper;
    this.commandRelay = commandRelay;
    this.eventRelay = eventRelay;
    this.schedules = schedules;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(reaper::reapExpiredLeases, properties.reaperInterval());
    registrar.addFixedDelayTask(commandRelay::relayPending, properties.relayInterval());
    registrar.addFixedDelayTask(
        () -> commandRelay.relayStale(properties.commandStaleAfter()), properties.reaperInterval());
    registrar.addFixedDelayTask(eventRelay::relayPending, properties.relayInterval());
    registrar.addFixedDelayTask(schedules::fireDueSchedules, properties.scheduleInterval());
  }
}
