package io.kanbu.backup.core.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A retention policy with restic's semantics. Each {@code keep…} count is {@code 0} (the rule is
 * off), a positive number of backups or calendar buckets, or {@link #UNLIMITED}. A bucket rule
 * keeps the newest backup of each of its newest buckets (hours, days, ISO weeks, months, years in
 * the policy's time zone), counting only buckets that hold backups.
 *
 * @param keepLast the newest n backups
 * @param keepHourly the newest backup of each of the newest n hours that have backups
 * @param keepDaily the same for days
 * @param keepWeekly the same for ISO weeks (Monday to Sunday)
 * @param keepMonthly the same for months
 * @param keepYearly the same for years
 * @param keepWithin every backup taken within this duration before the newest one; null = off
 */
public record RetentionPolicy(
    int keepLast,
    int keepHourly,
    int keepDaily,
    int keepWeekly,
    int keepMonthly,
    int keepYearly,
    @Nullable Duration keepWithin) {

  /** A count that keeps every backup, or every bucket. */
  public static final int UNLIMITED = -1;

  public RetentionPolicy {
    requireCount("keepLast", keepLast);
    requireCount("keepHourly", keepHourly);
    requireCount("keepDaily", keepDaily);
    requireCount("keepWeekly", keepWeekly);
    requireCount("keepMonthly", keepMonthly);
    requireCount("keepYearly", keepYearly);
    if (keepWithin != null && (keepWithin.isNegative() || keepWithin.isZero())) {
      throw new IllegalArgumentException(
          "keepWithin is " + keepWithin + "; give a positive duration, e.g. P7D, or leave it out");
    }
  }

  /**
   * The policy of the original Kanbu's schedule fields: {@code keepDaily}, {@code keepWeekly} and
   * {@code keepMonthly} as they are, {@code retentionDays} as {@code keepWithin} days. The original
   * also deleted monthly copies older than {@code retentionDays}; this policy keeps what the bucket
   * rules keep, so it never deletes more than the original did.
   */
  public static RetentionPolicy fromOriginal(
      int retentionDays, int keepDaily, int keepWeekly, int keepMonthly) {
    if (retentionDays < 1) {
      throw new IllegalArgumentException(
          "retentionDays is " + retentionDays + "; give 1 or more days");
    }
    return new RetentionPolicy(
        0, 0, keepDaily, keepWeekly, keepMonthly, 0, Duration.ofDays(retentionDays));
  }

  /**
   * A policy from stored or requested values; {@code keepWithin} is an ISO-8601 duration ({@code
   * P7D}, {@code PT12H}) or null.
   *
   * @throws IllegalArgumentException naming the value that is wrong
   */
  public static RetentionPolicy of(
      int keepLast,
      int keepHourly,
      int keepDaily,
      int keepWeekly,
      int keepMonthly,
      int keepYearly,
      @Nullable String keepWithin) {
    Duration within = null;
    if (keepWithin != null && !keepWithin.isBlank()) {
      try {
        within = Duration.parse(keepWithin.strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "keepWithin is '"
                + keepWithin
                + "'; give an ISO-8601 duration such as P7D (7 days) or PT36H (36 hours)",
            e);
      }
    }
    return new RetentionPolicy(
        keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, within);
  }

  /**
   * The time zone of a policy's calendar buckets.
   *
   * @throws IllegalArgumentException naming the zone, if Java does not know it
   */
  public static java.time.ZoneId zone(String timeZone) {
    try {
      return java.time.ZoneId.of(timeZone.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "timeZone is '" + timeZone + "'; give a zone id such as UTC or Europe/Amsterdam", e);
    }
  }

  /** True when no rule is on: such a policy deletes nothing (as restic refuses to). */
  public boolean isEmpty() {
    return keepLast == 0
        && keepHourly == 0
        && keepDaily == 0
        && keepWeekly == 0
        && keepMonthly == 0
        && keepYearly == 0
        && keepWithin == null;
  }

  /** The rules that are on, e.g. {@code keepLast=3, keepDaily=7}; {@code none} when empty. */
  public String describe() {
    List<String> rules = new ArrayList<>();
    addRule(rules, "keepLast", keepLast);
    addRule(rules, "keepHourly", keepHourly);
    addRule(rules, "keepDaily", keepDaily);
    addRule(rules, "keepWeekly", keepWeekly);
    addRule(rules, "keepMonthly", keepMonthly);
    addRule(rules, "keepYearly", keepYearly);
    if (keepWithin != null) {
      rules.add("keepWithin=" + keepWithin);
    }
    return rules.isEmpty() ? "none" : String.join(", ", rules);
  }

  private static void addRule(List<String> rules, String name, int count) {
    if (count != 0) {
      rules.add(name + "=" + (count == UNLIMITED ? "unlimited" : Integer.toString(count)));
    }
  }

  private static void requireCount(String name, int count) {
    if (count < UNLIMITED) {
      throw new IllegalArgumentException(
          name + " is " + count + "; give 0 (off), a positive number, or -1 (unlimited)");
    }
  }
}
