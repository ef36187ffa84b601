package io.kanbu.backup.core.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides which backups of one target and kind a {@link RetentionPolicy} keeps, with restic's
 * {@code forget} semantics, and says why for each: {@code kept: daily 2026-11-25}, {@code kept:
 * pinned}, {@code delete: beyond keepDaily=7}.
 *
 * <p>Each rule walks the backups from the newest: {@code keepLast} keeps the first n; a bucket rule
 * keeps a backup when its bucket (hour, day, ISO week, month, year in the planner's time zone)
 * differs from the last bucket that rule kept, until it has kept n; {@code keepWithin} keeps every
 * backup within the duration before the newest backup (not before now: a target that stopped
 * backing up keeps its last backups). As restic does since 0.17, a bucket rule that found fewer
 * buckets than it may keep also keeps the oldest backup, so a new policy never deletes the only old
 * copy. Whatever the policy: pinned backups, the newest backup, the newest verified-restorable
 * backup and backups a queued or running job uses are kept.
 */
public final class RetentionPlanner {

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");
  private static final DateTimeFormatter YEAR = DateTimeFormatter.ofPattern("yyyy");

  private final ZoneId zone;

  /** A planner whose calendar buckets are in {@code zone}. */
  public RetentionPlanner(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * A successful backup that retention may consider.
   *
   * @param pinned an operator pinned it: never deleted
   * @param verifiedRestorable it passed a restore drill
   * @param inUseBy the id of a queued or running job that uses it; null if none
   */
  public record Candidate(
      UUID id,
      Instant createdAt,
      boolean pinned,
      boolean verifiedRestorable,
      @Nullable UUID inUseBy) {

    public Candidate {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * The decision for one backup.
   *
   * @param reasons why it is kept (every rule that keeps it), or the one reason it is deleted
   */
  public record Decision(UUID id, Instant createdAt, boolean keep, List<String> reasons) {

    public Decision {
      reasons = List.copyOf(reasons);
    }

    /** {@code kept: daily 2026-11-25, pinned} or {@code delete: beyond keepDaily=7}. */
    public String summary() {
      return (keep ? "kept: " : "delete: ") + String.join(", ", reasons);
    }
  }

  /** The decisions for {@code backups} (one target and kind), newest first. */
  public List<Decision> plan(List<Candidate> backups, RetentionPolicy policy) {
    List<Candidate> newestFirst =
        backups.stream().sorted(Comparator.comparing(Candidate::createdAt).reversed()).toList();
    Map<UUID, List<String>> kept = new LinkedHashMap<>();
    newestFirst.forEach(b -> kept.put(b.id(), new ArrayList<>()));
    if (policy.isEmpty()) {
      newestFirst.forEach(b -> kept.get(b.id()).add("no retention policy"));
    } else {
      applyRules(newestFirst, policy, kept);
    }
    protect(newestFirst, kept);
    String beyond = "beyond " + policy.describe();
    return newestFirst.stream()
        .map(
            b -> {
              List<String> reasons = kept.get(b.id());
              return reasons.isEmpty()
                  ? new Decision(b.id(), b.createdAt(), false, List.of(beyond))
                  : new Decision(b.id(), b.createdAt(), true, reasons);
            })
        .toList();
  }

  private void applyRules(
      List<Candidate> newestFirst, RetentionPolicy policy, Map<UUID, List<String>> kept) {
    int last = policy.keepLast();
    for (int i = 0;
        i < newestFirst.size() && (last == RetentionPolicy.UNLIMITED || i < last);
        i++) {
      kept.get(newestFirst.get(i).id()).add("last");
    }
    bucketRule(newestFirst, "hourly", policy.keepHourly(), t -> HOUR.format(t), kept);
    bucketRule(newestFirst, "daily", policy.keepDaily(), t -> DAY.format(t), kept);
    bucketRule(newestFirst, "weekly", policy.keepWeekly(), RetentionPlanner::isoWeek, kept);
    bucketRule(newestFirst, "monthly", policy.keepMonthly(), t -> MONTH.format(t), kept);
    bucketRule(newestFirst, "yearly", policy.keepYearly(), t -> YEAR.format(t), kept);
    if (policy.keepWithin() != null && !newestFirst.isEmpty()) {
      Instant from = newestFirst.getFirst().createdAt().minus(policy.keepWithin());
      for (Candidate b : newestFirst) {
        if (!b.createdAt().isBefore(from)) {
          kept.get(b.id()).add("within " + policy.keepWithin() + " of the newest");
        }
      }
    }
  }

  private void bucketRule(
      List<Candidate> newestFirst,
      String name,
      int count,
      Function<ZonedDateTime, String> bucketOf,
      Map<UUID, List<String>> kept) {
    if (count == 0 || newestFirst.isEmpty()) {
      return;
    }
    int left = count;
    String lastBucket = null;
    for (Candidate b : newestFirst) {
      if (left == 0) {
        return;
      }
      String bucket = bucketOf.apply(b.createdAt().atZone(zone));
      if (!bucket.equals(lastBucket)) {
        kept.get(b.id()).add(name + " " + bucket);
        lastBucket = bucket;
        if (left != RetentionPolicy.UNLIMITED) {
          left--;
        }
      }
    }
    if (left > 0) {
      // fewer buckets than the rule may keep: the oldest backup stays too (restic 0.17)
      kept.get(newestFirst.getLast().id())
          .add("oldest (" + name + " found " + (count - left) + " of " + count + ")");
    }
  }

  private static void protect(List<Candidate> newestFirst, Map<UUID, List<String>> kept) {
    if (newestFirst.isEmpty()) {
      return;
    }
    kept.get(newestFirst.getFirst().id()).add("newest");
    newestFirst.stream()
        .filter(Candidate::verifiedRestorable)
        .findFirst()
        .ifPresent(b -> kept.get(b.id()).add("newest verified restorable"));
    for (Candidate b : newestFirst) {
      if (b.pinned()) {
        kept.get(b.id()).add("pinned");
      }
      if (b.inUseBy() != null) {
        kept.get(b.id()).add("in use by job " + b.inUseBy());
      }
    }
  }

  private static String isoWeek(ZonedDateTime t) {
    return "%d-W%02d"
        .formatted(t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }
}
