package io.kanbu.backup.scheduler;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the scheduler, bound from {@code kanbu.scheduler.*} (environment variables
 * {@code KANBU_SCHEDULER_*}) and validated at startup.
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
        Duration confirmTimeout) {}
