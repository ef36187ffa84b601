package io.kanbu.backup.gateway.schedules;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of a schedule's create and change, as documented in the OpenAPI document. The
 * controller reads the body itself ({@link ScheduleRequestParser}) so that every mistake is
 * answered naming the field.
 */
@Schema(
    name = "ScheduleBody",
    description =
        "A schedule. Required on create: name, jobType, cron. On change (PATCH) every field is"
            + " optional and replaces the schedule's. Unknown fields are refused.")
public record ScheduleBody(
    @Schema(description = "Unique name, 1 to 100 characters", example = "nightly") String name,
    @Schema(
            description =
                "What each firing starts: database, source or all (both as one recovery point)"
                    + " backups of the target, a verify of its newest backups, or a restore drill"
                    + " of its newest database backup",
            allowableValues = {"database", "source", "all", "verify", "restore-drill"})
        String jobType,
    @Schema(description = "A configured target", defaultValue = "default") @Nullable String target,
    @Schema(
            description =
                "5 fields (crontab), 6 fields with seconds first, or @hourly, @daily, @midnight,"
                    + " @weekly, @monthly, @yearly",
            example = "30 2 * * *")
        String cron,
    @Schema(
            description = "IANA time zone of the cron expression; default BACKUP_CRON_TIMEZONE",
            example = "Europe/Amsterdam")
        @Nullable String timeZone,
    @Schema(description = "false = paused", defaultValue = "true") @Nullable Boolean enabled,
    @Schema(
            description =
                "run-once: firings missed while no scheduler ran are coalesced into one run if"
                    + " the newest is within the grace period; skip: they never run",
            allowableValues = {"run-once", "skip"},
            defaultValue = "run-once")
        @Nullable String misfirePolicy,
    @Schema(
            description =
                "Grace period of missed firings, e.g. 30m or PT1H; null = the scheduler's"
                    + " KANBU_SCHEDULER_MISFIRE_GRACE",
            example = "30m")
        @Nullable String misfireGrace) {}
