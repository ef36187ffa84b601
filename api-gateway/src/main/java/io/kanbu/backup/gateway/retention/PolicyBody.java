package io.kanbu.backup.gateway.retention;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A retention policy as a request sets it: restic's rules, each 0 (off, the default), a positive
 * count, or -1 (unlimited). The original Kanbu's schedule fields ({@code retentionDays}, {@code
 * keepDaily}, {@code keepWeekly}, {@code keepMonthly}) are accepted too: {@code retentionDays} maps
 * to {@code keepWithin} of that many days.
 */
@Schema(description = "A retention policy (restic's forget rules)")
public record PolicyBody(
    @Schema(description = "Keep the newest n backups") @Nullable Integer keepLast,
    @Schema(description = "Keep the newest backup of each of the newest n hours")
        @Nullable Integer keepHourly,
    @Schema(description = "The same for days") @Nullable Integer keepDaily,
    @Schema(description = "The same for ISO weeks") @Nullable Integer keepWeekly,
    @Schema(description = "The same for months") @Nullable Integer keepMonthly,
    @Schema(description = "The same for years") @Nullable Integer keepYearly,
    @Schema(
            description = "Keep every backup within this ISO-8601 duration of the newest",
            example = "P7D")
        @Nullable String keepWithin,
    @Schema(description = "The original Kanbu's field: keepWithin of this many days")
        @Nullable Integer retentionDays,
    @Schema(description = "Time zone of the calendar buckets; default BACKUP_CRON_TIMEZONE or UTC")
        @Nullable String timeZone) {}
