package io.kanbu.backup.scheduler;

import io.kanbu.backup.model.schedule.SchedulerMode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the scheduler, bound from {@code kanbu.scheduler.*} (environment variables
 * {@code KANBU_SCHEDULER_*}, and {@code BACKUP_SCHEDULER_MODE} for the mode) and validated at
 * startup.
 *
 * @param reaperInterval pause between two runs of the lease reaper, which re-queues or fails
 *     running jobs whose worker stopped renewing the lease ({@code
 *     KANBU_SCHEDULER_REAPER_INTERVAL}, default 15 s)
 * @param relayInterval pause between two runs of the command and event outbox relays ({@code
 *     KANBU_SCHEDULER_RELAY_INTERVAL}, default 2 s)
 * @param relayGrace how long a job or event may stay unconfirmed by the broker before a relay
 *     publishes it again; leaves time to whoever created it to publish it first ({@code
 *     KANBU_SCHEDULER_RELAY_GRACE}, default 5 s)
 * @param confirmTimeout how long to wait for the broker's publisher confirm before a message counts
 *     as not published and is left to the next relay run ({@code KANBU_SCHEDULER_CONFIRM_TIMEOUT},
 *     default 10 s)
 * @param mode whether schedules fire: {@code internal} and {@code both} yes, {@code external} no
 *     ({@code BACKUP_SCHEDULER_MODE}, default {@code both})
 * @param scheduleInterval pause between two looks for due schedules; a firing starts at most this
 *     late ({@code KANBU_SCHEDULER_SCHEDULE_INTERVAL}, default 5 s)
 * @param misfireGrace how old the newest of several fire times missed while no scheduler ran may be
 *     for them to be coalesced into one run; older, they are only recorded as missed. A schedule
 *     may set its own ({@code KANBU_SCHEDULER_MISFIRE_GRACE}, default 1 h)
 * @param maxAttempts how many times a scheduled job is started before a lost worker fails it for
 *     good ({@code KANBU_SCHEDULER_MAX_ATTEMPTS}, default 3)
 * @param commandStaleAfter how long a job may stay queued after the broker confirmed its command
 *     before the relay publishes the command again, in case its message was lost to the job
 *     (dead-lettered after repeated hand-backs while the catalog was down) ({@code
 *     KANBU_SCHEDULER_COMMAND_STALE_AFTER}, default 15 min)
 * @param instanceId the name this replica records on the firings it claims ({@code
 *     KANBU_SCHEDULER_INSTANCE_ID}, default host name and process id)
 */
@Validated
@ConfigurationProperties("kanbu.scheduler")
public record SchedulerProperties(
    @NotNull(message = "must be set (KANBU_SCHEDULER_REAPER_INTERVAL)")
        @DurationMin(
            millis = 100,
            message = "must be at least 100ms (KANBU_SCHEDULER_REAPER_INTERVAL)")
        @DefaultValue("15s")
        Duration reaperInterval,
    @NotNull(message = "must be set (KANBU_SCHEDULER_RELAY_INTERVAL)")
        @DurationMin(
            millis = 100,
            message = "must be at least 100ms (KANBU_SCHEDULER_RELAY_INTERVAL)")
        @DefaultValue("2s")
        Duration relayInterval,
    @NotNull(message = "must be set (KANBU_SCHEDULER_RELAY_GRACE)")
        @DurationMin(millis = 0, message = "must not be negative (KANBU_SCHEDULER_RELAY_GRACE)")
        @DefaultValue("5s")
        Duration relayGrace,
    @NotNull(message = "must be set (KANBU_SCHEDULER_CONFIRM_TIMEOUT)")
        @DurationMin(
            millis = 100,
            message = "must be at least 100ms (KANBU_SCHEDULER_CONFIRM_TIMEOUT)")
        @DefaultValue("10s")
        Duration confirmTimeout,
    @DefaultValue("both") String mode,
    @NotNull(message = "must be set (KANBU_SCHEDULER_SCHEDULE_INTERVAL)")
        @DurationMin(
            millis = 100,
            message = "must be at least 100ms (KANBU_SCHEDULER_SCHEDULE_INTERVAL)")
        @DefaultValue("5s")
        Duration scheduleInterval,
    @NotNull(message = "must be set (KANBU_SCHEDULER_MISFIRE_GRACE)")
        @DurationMin(millis = 0, message = "must not be negative (KANBU_SCHEDULER_MISFIRE_GRACE)")
        @DefaultValue("1h")
        Duration misfireGrace,
    @Min(value = 1, message = "must be 1 to 100 (KANBU_SCHEDULER_MAX_ATTEMPTS)")
        @Max(value = 100, message = "must be 1 to 100 (KANBU_SCHEDULER_MAX_ATTEMPTS)")
        @DefaultValue("3")
        int maxAttempts,
    @NotNull(message = "must be set (KANBU_SCHEDULER_COMMAND_STALE_AFTER)")
        @DurationMin(
            seconds = 1,
            message = "must be at least 1s (KANBU_SCHEDULER_COMMAND_STALE_AFTER)")
        @DefaultValue("15m")
        Duration commandStaleAfter,
    @DefaultValue("") String instanceId) {

  public SchedulerProperties {
    SchedulerMode.parse(mode);
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = hostAndPid();
    }
  }

  /** {@link #mode()}, parsed. */
  public SchedulerMode schedulerMode() {
    return SchedulerMode.parse(mode);
  }

  private static String hostAndPid() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "scheduler";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
