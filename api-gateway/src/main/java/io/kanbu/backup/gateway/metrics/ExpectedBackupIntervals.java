package io.kanbu.backup.gateway.metrics;

import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How old a target's newest backup of a type may get before it is stale, derived from the enabled
 * schedules that back it up: the longest gap between two of a schedule's coming fire times (a
 * weekday schedule's is the weekend's three days, not one day), plus a slack for the backup to run,
 * the shortest over the schedules of that target and type. A target and type with no enabled
 * schedule gets the configured default (26 h: a daily run from outside, plus slack).
 */
public final class ExpectedBackupIntervals {

  /** The backup types of the freshness metrics ({@code type} label). */
  static final List<String> TYPES = List.of("database", "source");

  /** Fire times looked at cover at least this, so that weekly patterns show. */
  private static final Duration LOOKAHEAD = Duration.ofDays(8);

  private static final int MIN_FIRE_TIMES = 3;
  private static final int MAX_FIRE_TIMES = 5000;

  private ExpectedBackupIntervals() {}

  /** A target and a backup type ({@code database} or {@code source}). */
  public record TargetType(String target, String type) implements Comparable<TargetType> {
    @Override
    public int compareTo(TargetType other) {
      int byTarget = target.compareTo(other.target);
      return byTarget != 0 ? byTarget : type.compareTo(other.type);
    }
  }

  /**
   * @param schedules every schedule (disabled ones and those that make no backup are skipped)
   * @param targets targets that get a value even without a schedule (configured ones, and those
   *     with backups)
   * @param defaultInterval the value of a target and type without an enabled schedule
   * @param slack added to a schedule's gap: how long a backup may take to become available
   */
  public static Map<TargetType, Duration> of(
      Collection<BackupSchedule> schedules,
      Set<String> targets,
      Duration defaultInterval,
      Duration slack,
      Instant now) {
    Map<TargetType, Duration> intervals = new TreeMap<>();
    for (String target : targets) {
      for (String type : TYPES) {
        intervals.put(new TargetType(target, type), defaultInterval);
      }
    }
    Map<TargetType, Duration> scheduled = new TreeMap<>();
    for (BackupSchedule schedule : schedules) {
      if (!schedule.isEnabled()) {
        continue;
      }
      Optional<Duration> gap = longestGap(schedule.cron(), now);
      if (gap.isEmpty()) {
        continue;
      }
      for (String type : typesOf(schedule.getJobKind())) {
        scheduled.merge(
            new TargetType(schedule.getTarget(), type),
            gap.get().plus(slack),
            (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    intervals.putAll(scheduled);
    return intervals;
  }

  /** The backup types a schedule of that kind makes. */
  static List<String> typesOf(ScheduleJobKind kind) {
    return switch (kind) {
      case DATABASE -> List.of("database");
      case SOURCE -> List.of("source");
      case ALL -> TYPES;
      case VERIFY, RESTORE_DRILL, PRUNE -> List.of();
    };
  }

  /**
   * The longest gap between consecutive fire times after {@code now}, over at least {@link
   * #LOOKAHEAD}; empty if it fires fewer than twice more.
   */
  static Optional<Duration> longestGap(CronSchedule cron, Instant now) {
    Instant first = cron.nextAfter(now);
    if (first == null) {
      return Optional.empty();
    }
    Duration longest = null;
    Instant previous = first;
    int count = 1;
    while (count < MAX_FIRE_TIMES
        && (count < MIN_FIRE_TIMES || Duration.between(first, previous).compareTo(LOOKAHEAD) < 0)) {
      Instant next = cron.nextAfter(previous);
      if (next == null) {
        break;
      }
      Duration gap = Duration.between(previous, next);
      if (longest == null || gap.compareTo(longest) > 0) {
        longest = gap;
      }
      previous = next;
      count++;
    }
    return Optional.ofNullable(longest);
  }
}
