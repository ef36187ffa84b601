package io.kanbu.backup.model.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

  @Test
  void fiveFieldCrontab_firesAtSecondZero() {
    CronSchedule cron = CronSchedule.parse("30 2 * * *", UTC);

    assertThat(cron.nextFireTimes(Instant.parse("2026-11-26T10:00:00Z"), 2))
        .containsExactly(
            Instant.parse("2026-11-27T02:30:00Z"), Instant.parse("2026-11-28T02:30:00Z"));
  }

  @Test
  void sixFields_haveSecondsFirst() {
    CronSchedule cron = CronSchedule.parse("15 30 2 * * *", UTC);

    assertThat(cron.nextAfter(Instant.parse("2026-11-26T10:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-27T02:30:15Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "@hourly,   2026-11-26T11:00:00Z",
    "@daily,    2026-11-27T00:00:00Z",
    "@midnight, 2026-11-27T00:00:00Z",
    "@weekly,   2026-11-29T00:00:00Z",
    "@monthly,  2026-12-01T00:00:00Z",
    "@yearly,   2027-01-01T00:00:00Z",
    "@ANNUALLY, 2027-01-01T00:00:00Z"
  })
  void macros_fireAsCrontabDefinesThem(String macro, Instant expected) {
    // 2026-11-26 is a Thursday; @weekly is Sunday 00:00
    assertThat(CronSchedule.parse(macro, UTC).nextAfter(Instant.parse("2026-11-26T10:15:00Z")))
        .isEqualTo(expected);
  }

  @Test
  void nextAfter_isStrictlyAfter_evenOnAFireTime() {
    CronSchedule cron = CronSchedule.parse("@hourly", UTC);

    assertThat(cron.nextAfter(Instant.parse("2026-11-26T11:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Test
  void bothDayFieldsRestricted_fireOnEitherDay_asInCrontab() {
    // the 1st of the month or any Monday; 2026-12-01 is a Tuesday
    CronSchedule cron = CronSchedule.parse("0 3 1 * MON", UTC);

    assertThat(cron.nextFireTimes(Instant.parse("2026-11-26T10:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-11-30T03:00:00Z"),
            Instant.parse("2026-12-01T03:00:00Z"),
            Instant.parse("2026-12-07T03:00:00Z"));
  }

  @Test
  void timeZone_isTheWallClockOfTheSchedule() {
    CronSchedule cron = CronSchedule.parse("0 3 * * *", AMSTERDAM);

    // November: CET, UTC+1
    assertThat(cron.nextAfter(Instant.parse("2026-11-26T10:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
  }

  @Test
  void springForward_aTimeInTheGap_firesOnce_atTheSameDistanceAfterTheGap() {
    // 2026-03-29 in Amsterdam: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist
    CronSchedule cron = CronSchedule.parse("30 2 * * *", AMSTERDAM);

    assertThat(cron.nextFireTimes(Instant.parse("2026-03-27T12:00:00Z"), 4))
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-03-29T01:30:00Z"), // 03:30 CEST, once
            Instant.parse("2026-03-30T00:30:00Z"), // 02:30 CEST
            Instant.parse("2026-03-31T00:30:00Z"));
  }

  @Test
  void fallBack_aRepeatedTime_firesOnce_atItsFirstOccurrence() {
    // 2026-10-25 in Amsterdam: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice
    CronSchedule cron = CronSchedule.parse("30 2 * * *", AMSTERDAM);

    assertThat(cron.nextFireTimes(Instant.parse("2026-10-23T12:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
            Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST, the first of the two
            Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
  }

  @Test
  void fallBack_fromInsideTheRepeatedHour_doesNotFireTheFirstOccurrenceAgain() {
    CronSchedule cron = CronSchedule.parse("30 2 * * *", AMSTERDAM);

    // 02:15 CET, the second pass through 02:xx: 02:30 CEST is already past
    assertThat(cron.nextAfter(Instant.parse("2026-10-25T01:15:00Z")))
        .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void hourly_firesOncePerWallClockHour_onBothTransitionDays() {
    CronSchedule cron = CronSchedule.parse("0 * * * *", AMSTERDAM);

    assertThat(firesOn(cron, LocalDate.of(2026, 3, 29))).hasSize(23);
    assertThat(firesOn(cron, LocalDate.of(2026, 10, 25))).hasSize(24).doesNotHaveDuplicates();
  }

  @Test
  void nextFireTimes_giveFiveDistinctAscendingTimes() {
    List<Instant> times =
        CronSchedule.parse("*/15 * * * *", UTC)
            .nextFireTimes(Instant.parse("2026-11-26T10:07:00Z"), 5);

    assertThat(times)
        .containsExactly(
            Instant.parse("2026-11-26T10:15:00Z"),
            Instant.parse("2026-11-26T10:30:00Z"),
            Instant.parse("2026-11-26T10:45:00Z"),
            Instant.parse("2026-11-26T11:00:00Z"),
            Instant.parse("2026-11-26T11:15:00Z"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                  | the cron expression is empty",
        "* * * *             | has 4 fields; use 5 fields",
        "0 0 0 * * * 2026    | has 7 fields",
        "61 2 * * *          | invalid cron expression",
        "0 25 * * *          | invalid cron expression",
        "0 2 * * FUNDAY      | invalid cron expression",
        "@fortnightly        | unknown macro '@fortnightly'",
        "0 0 30 2 *          | never fires"
      })
  void invalidExpressions_areRefused_withTheReason(String expression, String reason) {
    assertThatThrownBy(() -> CronSchedule.parse(expression, UTC))
        .isInstanceOf(InvalidCronExpressionException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void anInvalidField_isNamedInTheReason() {
    assertThatThrownBy(() -> CronSchedule.parse("61 2 * * *", UTC))
        .hasMessageContaining("61")
        .hasMessageContaining("5 fields 'minute hour day-of-month month day-of-week'");
  }

  @Test
  void unknownTimeZone_isRefused() {
    assertThatThrownBy(() -> CronSchedule.zone("Mars/Olympus"))
        .isInstanceOf(InvalidCronExpressionException.class)
        .hasMessageContaining("unknown time zone 'Mars/Olympus'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "30 2 * * *       | at 02:30, every day (UTC)",
        "0 3 * * 1-5      | at 03:00, on Monday to Friday (UTC)",
        "0 3 * * SAT,SUN  | at 03:00, on Saturday, Sunday (UTC)",
        "0 4 1 * *        | at 04:00, on day 1 of the month (UTC)",
        "0 4 1 1 *        | at 04:00, on day 1 of the month, in January (UTC)",
        "0 4 1 * MON      | at 04:00, on day 1 of the month or on Monday (UTC)",
        "5 * * * *        | every hour at minute 5 (UTC)",
        "*/15 * * * *     | every 15 minutes (UTC)",
        "* * * * *        | every minute (UTC)",
        "0 6,18 * * *     | at 06:00, 18:00, every day (UTC)",
        "15 30 2 * * *    | at 02:30:15, every day (UTC)",
        "@daily           | @daily: at 00:00, every day (UTC)",
        "@hourly          | @hourly: every hour at minute 0 (UTC)",
        "@weekly          | @weekly: at 00:00, on Sunday (UTC)",
        "0 0,30 9-17 * * *| at minute '0,30' of hour '9-17', every day (UTC)"
      })
  void description_putsCommonShapesIntoWords(String expression, String description) {
    assertThat(CronSchedule.parse(expression, UTC).description()).isEqualTo(description);
  }

  @Test
  void description_namesTheZone() {
    assertThat(CronSchedule.parse("30 2 * * *", AMSTERDAM).description())
        .isEqualTo("at 02:30, every day (Europe/Amsterdam)");
  }

  private static List<Instant> firesOn(CronSchedule cron, LocalDate day) {
    Instant start = day.atStartOfDay(cron.zone()).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(cron.zone()).toInstant();
    return cron.nextFireTimes(start.minusSeconds(1), 30).stream()
        .filter(t -> t.isBefore(end))
        .toList();
  }
}
