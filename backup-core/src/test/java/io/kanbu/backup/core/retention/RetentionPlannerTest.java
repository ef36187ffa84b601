package io.kanbu.backup.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.retention.RetentionPlanner.Candidate;
import io.kanbu.backup.core.retention.RetentionPlanner.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

  @Test
  void dailyAndWeekly_keepTheNewestOfEachBucket_countingOnlyBucketsWithBackups() {
    // one backup a day at noon, 1 to 25 November 2026 (the 25th is a Wednesday, ISO week 48)
    List<Candidate> backups = new ArrayList<>();
    for (int day = 1; day <= 25; day++) {
      backups.add(backup("2026-11-%02dT12:00:00Z".formatted(day)));
    }

    Map<String, String> plan = plan(UTC, backups, policy(0, 0, 3, 2, 0, 0, null));

    assertThat(kept(plan))
        .containsExactly(
            "2026-11-25T12:00:00Z",
            "2026-11-24T12:00:00Z",
            "2026-11-23T12:00:00Z",
            "2026-11-22T12:00:00Z");
    assertThat(plan.get("2026-11-25T12:00:00Z"))
        .isEqualTo("kept: daily 2026-11-25, weekly 2026-W48, newest");
    assertThat(plan.get("2026-11-22T12:00:00Z")).isEqualTo("kept: weekly 2026-W47");
    assertThat(plan.get("2026-11-21T12:00:00Z"))
        .isEqualTo("delete: beyond keepDaily=3, keepWeekly=2");
  }

  /**
   * restic's documented example: a backup every day for 100 years with {@code --keep-daily 7
   * --keep-weekly 5 --keep-monthly 12 --keep-yearly 75} keeps "the most recent 7 daily snapshots,
   * then 4 (remember, 7 dailies already include 1 weekly) last-day-of-the-weeks and 11 or 12
   * last-day-of-the-months (11 or 12 depends if the 5 weeklies cross a month). And finally 75
   * last-day-of-the-year snapshots. All other snapshots are removed."
   */
  @Test
  void resticsDocumentedExample_aHundredYearsOfDailyBackups() {
    List<Candidate> backups = new ArrayList<>();
    // ending on a Sunday, so the 7 dailies are exactly one ISO week, as the example assumes
    java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 29);
    for (int i = 0; i < 36_525; i++) {
      backups.add(backup(day.minusDays(i).atTime(12, 0).toInstant(ZoneOffset.UTC).toString()));
    }

    List<Decision> plan = new RetentionPlanner(UTC).plan(backups, policy(0, 0, 7, 5, 12, 75, null));

    List<Decision> kept = plan.stream().filter(Decision::keep).toList();
    long daily = kept.stream().filter(d -> has(d, "daily")).count();
    long weeklyOnly = kept.stream().filter(d -> has(d, "weekly") && !has(d, "daily")).count();
    long monthlyOnly =
        kept.stream()
            .filter(d -> has(d, "monthly") && !has(d, "daily") && !has(d, "weekly"))
            .count();
    long yearly = kept.stream().filter(d -> has(d, "yearly")).count();
    assertThat(daily).isEqualTo(7);
    assertThat(weeklyOnly).isEqualTo(4);
    assertThat(monthlyOnly).isBetween(10L, 12L);
    assertThat(yearly).isEqualTo(75);
    // the newest of each of the 75 years, the newest already kept as a daily one
    assertThat(kept).hasSizeBetween(7 + 4 + 10 + 74, 7 + 4 + 12 + 75);
    assertThat(kept)
        .filteredOn(d -> has(d, "yearly") && !has(d, "daily"))
        .allMatch(d -> d.createdAt().toString().contains("-12-31T"));
  }

  private static boolean has(Decision d, String rule) {
    return d.reasons().stream().anyMatch(r -> r.startsWith(rule + " "));
  }

  @Test
  void noBackups_noDecisions() {
    assertThat(new RetentionPlanner(UTC).plan(List.of(), policy(1, 0, 0, 0, 0, 0, null))).isEmpty();
  }

  @Test
  void anEmptyPolicy_deletesNothing() {
    List<Candidate> backups =
        List.of(backup("2026-11-20T00:00:00Z"), backup("2026-11-21T00:00:00Z"));

    Map<String, String> plan = plan(UTC, backups, policy(0, 0, 0, 0, 0, 0, null));

    assertThat(plan.values()).allMatch(s -> s.startsWith("kept: no retention policy"));
  }

  @Test
  void allInOneDay_keepsTheNewest_andTheOldestBecauseTheRuleFoundTooFewDays() {
    List<Candidate> backups = new ArrayList<>();
    for (int hour = 0; hour < 10; hour++) {
      backups.add(backup("2026-11-25T%02d:15:00Z".formatted(hour)));
    }

    Map<String, String> plan = plan(UTC, backups, policy(0, 0, 7, 0, 0, 0, null));

    assertThat(kept(plan)).containsExactly("2026-11-25T09:15:00Z", "2026-11-25T00:15:00Z");
    assertThat(plan.get("2026-11-25T00:15:00Z")).isEqualTo("kept: oldest (daily found 1 of 7)");
  }

  @Test
  void gapsOfMonths_countOnlyTheMonthsThatHaveBackups() {
    List<Candidate> backups =
        List.of(
            backup("2026-01-15T03:00:00Z"),
            backup("2026-05-10T03:00:00Z"),
            backup("2026-05-20T03:00:00Z"),
            backup("2026-11-20T03:00:00Z"));

    Map<String, String> plan = plan(UTC, backups, policy(0, 0, 0, 0, 2, 0, null));

    assertThat(kept(plan)).containsExactly("2026-11-20T03:00:00Z", "2026-05-20T03:00:00Z");
    assertThat(plan.get("2026-05-20T03:00:00Z")).isEqualTo("kept: monthly 2026-05");
  }

  @Test
  void yearlyUnlimited_keepsTheNewestOfEveryYear_andNoExtraOldest() {
    List<Candidate> backups =
        List.of(
            backup("2024-03-01T00:00:00Z"),
            backup("2024-12-31T00:00:00Z"),
            backup("2025-06-01T00:00:00Z"),
            backup("2026-11-25T00:00:00Z"));

    Map<String, String> plan =
        plan(UTC, backups, policy(0, 0, 0, 0, 0, RetentionPolicy.UNLIMITED, null));

    assertThat(kept(plan))
        .containsExactly("2026-11-25T00:00:00Z", "2025-06-01T00:00:00Z", "2024-12-31T00:00:00Z");
    assertThat(plan.get("2024-03-01T00:00:00Z")).isEqualTo("delete: beyond keepYearly=unlimited");
  }

  @Test
  void dayBuckets_followThePlannersTimeZone() {
    List<Candidate> backups =
        List.of(
            backup("2026-11-25T12:00:00Z"),
            backup("2026-11-25T23:30:00Z"),
            backup("2026-11-26T00:30:00Z"));
    RetentionPolicy twoDays = policy(0, 0, 2, 0, 0, 0, null);

    // UTC: the 26th and the 25th (its newest is 23:30)
    assertThat(kept(plan(UTC, backups, twoDays)))
        .containsExactly("2026-11-26T00:30:00Z", "2026-11-25T23:30:00Z");
    // Amsterdam (UTC+1): 23:30Z is already the 26th, so the 25th's newest is 12:00Z
    assertThat(kept(plan(AMSTERDAM, backups, twoDays)))
        .containsExactly("2026-11-26T00:30:00Z", "2026-11-25T12:00:00Z");
  }

  @Test
  void theRepeatedHourOfTheAutumnChange_isOneHourlyBucket() {
    // 25 October 2026 in Amsterdam: 02:00-03:00 happens twice (00:xxZ in CEST, 01:xxZ in CET)
    List<Candidate> backups =
        List.of(
            backup("2026-10-25T00:30:00Z"),
            backup("2026-10-25T01:30:00Z"),
            backup("2026-10-25T02:30:00Z"));

    Map<String, String> plan = plan(AMSTERDAM, backups, policy(0, 2, 0, 0, 0, 0, null));

    assertThat(kept(plan)).containsExactly("2026-10-25T02:30:00Z", "2026-10-25T01:30:00Z");
    assertThat(plan.get("2026-10-25T01:30:00Z")).isEqualTo("kept: hourly 2026-10-25 02:00");
  }

  @Test
  void keepWithin_countsBackFromTheNewestBackup_notFromNow() {
    List<Candidate> backups = new ArrayList<>();
    Instant newest = Instant.parse("2026-01-10T00:00:00Z");
    for (int i = 0; i < 10; i++) {
      backups.add(backup(newest.minus(Duration.ofHours(12L * i)).toString()));
    }

    Map<String, String> plan = plan(UTC, backups, policy(0, 0, 0, 0, 0, 0, Duration.ofDays(2)));

    assertThat(kept(plan)).hasSize(5).last().isEqualTo("2026-01-08T00:00:00Z");
    assertThat(plan.get("2026-01-08T00:00:00Z")).isEqualTo("kept: within PT48H of the newest");
  }

  @Test
  void protections_overrideThePolicy() {
    UUID runningJob = UUID.randomUUID();
    List<Candidate> backups =
        List.of(
            backup("2026-11-25T05:00:00Z"),
            backup("2026-11-25T04:00:00Z"),
            new Candidate(id("3"), Instant.parse("2026-11-25T03:00:00Z"), false, true, null),
            new Candidate(id("4"), Instant.parse("2026-11-25T02:00:00Z"), true, false, null),
            new Candidate(id("5"), Instant.parse("2026-11-25T01:00:00Z"), false, true, null),
            new Candidate(id("6"), Instant.parse("2026-11-25T00:00:00Z"), false, false, runningJob),
            backup("2026-11-24T23:00:00Z"));

    Map<String, String> plan = plan(UTC, backups, policy(1, 0, 0, 0, 0, 0, null));

    assertThat(plan.get("2026-11-25T05:00:00Z")).isEqualTo("kept: last, newest");
    assertThat(plan.get("2026-11-25T04:00:00Z")).isEqualTo("delete: beyond keepLast=1");
    assertThat(plan.get("2026-11-25T03:00:00Z")).isEqualTo("kept: newest verified restorable");
    assertThat(plan.get("2026-11-25T02:00:00Z")).isEqualTo("kept: pinned");
    assertThat(plan.get("2026-11-25T01:00:00Z")).startsWith("delete:");
    assertThat(plan.get("2026-11-25T00:00:00Z")).isEqualTo("kept: in use by job " + runningJob);
    assertThat(plan.get("2026-11-24T23:00:00Z")).startsWith("delete:");
  }

  @Test
  void theOriginalsScheduleFields_mapToAPolicy() {
    RetentionPolicy original = RetentionPolicy.fromOriginal(30, 7, 4, 3);

    assertThat(original.describe())
        .isEqualTo("keepDaily=7, keepWeekly=4, keepMonthly=3, keepWithin=PT720H");
    assertThatThrownBy(() -> RetentionPolicy.fromOriginal(0, 7, 4, 3))
        .hasMessageContaining("retentionDays is 0");
  }

  @Test
  void invalidCounts_areRefused_namingTheRule() {
    assertThatThrownBy(() -> policy(0, 0, -2, 0, 0, 0, null))
        .hasMessageContaining("keepDaily is -2");
    assertThatThrownBy(() -> policy(0, 0, 0, 0, 0, 0, Duration.ZERO))
        .hasMessageContaining("keepWithin");
  }

  // --- helpers: backups are named by their time

  private static Candidate backup(String at) {
    return new Candidate(id(at), Instant.parse(at), false, false, null);
  }

  private static UUID id(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static RetentionPolicy policy(
      int last, int hourly, int daily, int weekly, int monthly, int yearly, Duration within) {
    return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, within);
  }

  /** Decision summaries by the backup's time, newest first. */
  private static Map<String, String> plan(
      ZoneId zone, List<Candidate> backups, RetentionPolicy policy) {
    return new RetentionPlanner(zone)
        .plan(backups, policy).stream()
            .collect(
                Collectors.toMap(
                    d -> d.createdAt().toString(),
                    Decision::summary,
                    (a, b) -> a,
                    LinkedHashMap::new));
  }

  private static List<String> kept(Map<String, String> plan) {
    return plan.entrySet().stream()
        .filter(e -> e.getValue().startsWith("kept"))
        .map(Map.Entry::getKey)
        .toList();
  }
}
