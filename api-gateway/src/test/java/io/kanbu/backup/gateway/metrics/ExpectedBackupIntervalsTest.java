package io.kanbu.backup.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.metrics.ExpectedBackupIntervals.TargetType;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExpectedBackupIntervalsTest {

  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z"); // a Thursday
  static final Duration DEFAULT = Duration.ofHours(26);
  static final Duration SLACK = Duration.ofHours(2);

  @Test
  void dailySchedule_expectsItsDayPlusSlack_andAnUnscheduledTargetGetsTheDefault() {
    Map<TargetType, Duration> intervals =
        ExpectedBackupIntervals.of(
            List.of(schedule("30 2 * * *", ScheduleJobKind.DATABASE, "default", true)),
            Set.of("default", "alpha"),
            DEFAULT,
            SLACK,
            NOW);

    assertThat(intervals)
        .containsEntry(new TargetType("default", "database"), Duration.ofHours(26))
        .containsEntry(new TargetType("default", "source"), DEFAULT)
        .containsEntry(new TargetType("alpha", "database"), DEFAULT)
        .containsEntry(new TargetType("alpha", "source"), DEFAULT);
  }

  @Test
  void weekdaySchedule_expectsTheWeekendGap_notOneDay() {
    Map<TargetType, Duration> intervals =
        ExpectedBackupIntervals.of(
            List.of(schedule("0 3 * * 1-5", ScheduleJobKind.DATABASE, "default", true)),
            Set.of(),
            DEFAULT,
            SLACK,
            NOW);

    assertThat(intervals.get(new TargetType("default", "database")))
        .isEqualTo(Duration.ofDays(3).plus(SLACK));
  }

  @Test
  void theShortestScheduleWins_allCoversBothTypes_andPausedOrNonBackupSchedulesDoNotCount() {
    Map<TargetType, Duration> intervals =
        ExpectedBackupIntervals.of(
            List.of(
                schedule("0 3 * * *", ScheduleJobKind.ALL, "default", true),
                schedule("0 */6 * * *", ScheduleJobKind.DATABASE, "default", true),
                schedule("*/5 * * * *", ScheduleJobKind.SOURCE, "default", false),
                schedule("*/5 * * * *", ScheduleJobKind.VERIFY, "default", true)),
            Set.of("default"),
            DEFAULT,
            SLACK,
            NOW);

    assertThat(intervals)
        .containsEntry(new TargetType("default", "database"), Duration.ofHours(8))
        .containsEntry(new TargetType("default", "source"), Duration.ofHours(26));
  }

  @Test
  void hourlyDuringOfficeHours_onWeekdays_expectsTheWeekendGap() {
    Map<TargetType, Duration> intervals =
        ExpectedBackupIntervals.of(
            List.of(schedule("0 9-17 * * 1-5", ScheduleJobKind.SOURCE, "default", true)),
            Set.of(),
            DEFAULT,
            SLACK,
            NOW);

    // Friday 17:00 to Monday 09:00
    assertThat(intervals.get(new TargetType("default", "source")))
        .isEqualTo(Duration.ofHours(64).plus(SLACK));
  }

  private static BackupSchedule schedule(
      String cron, ScheduleJobKind kind, String target, boolean enabled) {
    return new BackupSchedule(
        UUID.randomUUID(),
        "s-" + UUID.randomUUID(),
        kind,
        target,
        CronSchedule.parse(cron, ZoneId.of("UTC")),
        enabled,
        MisfirePolicy.RUN_ONCE,
        null,
        null,
        NOW);
  }
}
