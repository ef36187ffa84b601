package io.kanbu.backup.gateway.schedules;

import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import java.time.Duration;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * A validated schedule body. For a create every required field is set; for a change ({@code PATCH})
 * a null field is left as it is.
 *
 * @param name unique name, 1 to 100 characters
 * @param jobType what the schedule starts
 * @param target a configured target
 * @param cron the cron expression as written (checked against the time zone by the controller)
 * @param timeZone the time zone of the cron expression
 * @param enabled false = paused
 * @param misfirePolicy what to do with firings missed while no scheduler ran
 * @param misfireGraceGiven whether the body had {@code misfireGrace} (null then means "use the
 *     scheduler's default")
 * @param misfireGrace the schedule's own grace period
 */
public record ScheduleRequest(
    @Nullable String name,
    @Nullable ScheduleJobKind jobType,
    @Nullable String target,
    @Nullable String cron,
    @Nullable ZoneId timeZone,
    @Nullable Boolean enabled,
    @Nullable MisfirePolicy misfirePolicy,
    boolean misfireGraceGiven,
    @Nullable Duration misfireGrace) {}
