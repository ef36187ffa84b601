package io.kanbu.backup.model.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron expression in a time zone: when a schedule fires.
 *
 * <p>Accepted forms: standard 5-field crontab ({@code minute hour day-of-month month day-of-week},
 * fired at second 0), 6 fields with seconds first, and the macros {@code @hourly}, {@code @daily}
 * ({@code @midnight}), {@code @weekly} (Sunday 00:00), {@code @monthly} and {@code @yearly} ({@code
 * @annually}). Field syntax is Spring's {@link CronExpression} (numbers, names such as {@code MON}
 * and {@code JAN}, ranges, lists, steps, {@code ?}, {@code L}, {@code W}, {@code #}). As in crontab,
 * when both day fields are restricted a day matching either one fires.
 *
 * <p>Times are wall-clock times in the zone. Daylight saving time: a local time that does not exist
 * on the spring-forward day (02:30 in Europe/Amsterdam on the last Sunday of March) fires once, as
 * far after the start of the gap as it was meant to be (03:30 summer time); a local time that occurs
 * twice on the fall-back day (02:30 on the last Sunday of October) fires once, at its first
 * occurrence (02:30 summer time, 00:30 UTC). So an hourly schedule fires 23 times on the
 * spring-forward day and 24 times (not 25) on the fall-back day. Every replica computes the same
 * instants, which is what lets the catalog key a firing by its fire time.
 */
public final class CronSchedule {

  /** The longest expression accepted (the catalog column's size). */
  public static final int MAX_LENGTH = 200;

  // A safety net: only seconds inside a DST gap make the search skip candidates (3600 at most).
  private static final int MAX_SKIPPED_CANDIDATES = 100_000;

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 0 1 1 *",
          "@annually", "0 0 0 1 1 *",
          "@monthly", "0 0 0 1 * *",
          "@weekly", "0 0 0 * * 0",
          "@daily", "0 0 0 * * *",
          "@midnight", "0 0 0 * * *",
          "@hourly", "0 0 * * * *");

  private final String expression;
  private final ZoneId zone;
  private final List<String> fields;
  private final List<CronExpression> alternatives;

  private CronSchedule(
      String expression, ZoneId zone, List<String> fields, List<CronExpression> alternatives) {
    this.expression = expression;
    this.zone = zone;
    this.fields = fields;
    this.alternatives = alternatives;
  }

  /**
   * Parses an expression.
   *
   * @throws InvalidCronExpressionException saying what is wrong and what is accepted
   */
  public static CronSchedule parse(String expression, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    String written = expression.strip();
    if (written.isEmpty()) {
      throw new InvalidCronExpressionException("the cron expression is empty; " + FORMS);
    }
    if (written.length() > MAX_LENGTH) {
      throw new InvalidCronExpressionException(
          "the cron expression is longer than " + MAX_LENGTH + " characters; " + FORMS);
    }
    List<String> fields;
    if (written.startsWith("@")) {
      String macro = MACROS.get(written.toLowerCase(Locale.ROOT));
      if (macro == null) {
        throw new InvalidCronExpressionException(
            "unknown macro '"
                + written
                + "'; use one of @hourly, @daily, @midnight, @weekly,"
                + " @monthly, @yearly, @annually");
      }
      fields = List.of(macro.split(" "));
    } else {
      List<String> written5or6 = List.of(written.split("\\s+"));
      fields =
          switch (written5or6.size()) {
            case 5 -> {
              List<String> withSeconds = new ArrayList<>(List.of("0"));
              withSeconds.addAll(written5or6);
              yield List.copyOf(withSeconds);
            }
            case 6 -> written5or6;
            default ->
                throw new InvalidCronExpressionException(
                    "the cron expression has "
                        + written5or6.size()
                        + " field"
                        + (written5or6.size() == 1 ? "" : "s")
                        + "; "
                        + FORMS);
          };
    }
    List<CronExpression> alternatives = new ArrayList<>();
    if (restricted(fields.get(3)) && restricted(fields.get(5))) {
      // crontab: a day matching either field fires; Spring would require both
      alternatives.add(compile(fields, fields.get(3), "*"));
      alternatives.add(compile(fields, "*", fields.get(5)));
    } else {
      alternatives.add(compile(fields, fields.get(3), fields.get(5)));
    }
    CronSchedule schedule = new CronSchedule(written, zone, fields, List.copyOf(alternatives));
    if (schedule.nextLocal(LocalDateTime.of(2000, 1, 1, 0, 0)) == null) {
      throw new InvalidCronExpressionException(
          "the cron expression '" + written + "' never fires (no date matches it)");
    }
    return schedule;
  }

  /**
   * A time zone id as a schedule names it.
   *
   * @throws InvalidCronExpressionException if it is not an IANA zone id or offset
   */
  public static ZoneId zone(String id) {
    try {
      return ZoneId.of(id.strip());
    } catch (DateTimeException e) {
      throw new InvalidCronExpressionException(
          "unknown time zone '"
              + id
              + "'; use an IANA zone id such as 'UTC' or 'Europe/Amsterdam'");
    }
  }

  static final String FORMS =
      "use 5 fields 'minute hour day-of-month month day-of-week' (e.g. '30 2 * * *'), 6 fields"
          + " with seconds first (e.g. '0 30 2 * * *'), or @hourly, @daily, @weekly, @monthly,"
          + " @yearly";

  private static boolean restricted(String dayField) {
    return !dayField.equals("*") && !dayField.equals("?");
  }

  private static CronExpression compile(List<String> fields, String dayOfMonth, String dayOfWeek) {
    String six =
        String.join(
            " ", fields.get(0), fields.get(1), fields.get(2), dayOfMonth, fields.get(4), dayOfWeek);
    try {
      return CronExpression.parse(six);
    } catch (IllegalArgumentException e) {
      throw new InvalidCronExpressionException(
          "invalid cron expression: " + reason(e) + "; " + FORMS);
    }
  }

  /** Spring's message, with the first cause's detail (it names the field and the value). */
  private static String reason(IllegalArgumentException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "unreadable");
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message = message + " (" + cause.getMessage() + ")";
    }
    return message.replace('"', '\'');
  }

  /**
   * The first fire time strictly after {@code after}.
   *
   * @return null if the expression never fires again
   */
  public @Nullable Instant nextAfter(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int skipped = 0; skipped < MAX_SKIPPED_CANDIDATES; skipped++) {
      LocalDateTime next = nextLocal(local);
      if (next == null) {
        return null;
      }
      // a local time in a gap moves forward by the gap; one in an overlap takes the earlier offset
      Instant candidate = ZonedDateTime.ofLocal(next, zone, null).toInstant();
      if (candidate.isAfter(after)) {
        return candidate;
      }
      local = next; // a repeated (fall-back) or gap-shifted time already passed
    }
    return null;
  }

  /** The next {@code count} fire times after {@code after}, fewer if it stops firing. */
  public List<Instant> nextFireTimes(Instant after, int count) {
    List<Instant> times = new ArrayList<>(count);
    Instant from = after;
    while (times.size() < count) {
      Instant next = nextAfter(from);
      if (next == null) {
        break;
      }
      times.add(next);
      from = next;
    }
    return times;
  }

  private @Nullable LocalDateTime nextLocal(LocalDateTime after) {
    LocalDateTime earliest = null;
    for (CronExpression alternative : alternatives) {
      LocalDateTime next = alternative.next(after);
      if (next != null && (earliest == null || next.isBefore(earliest))) {
        earliest = next;
      }
    }
    return earliest;
  }

  /** The expression as written (trimmed). */
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** In English, e.g. {@code at 02:30, every day (Europe/Amsterdam)}. */
  public String description() {
    return CronDescription.describe(fields, expression) + " (" + zone.getId() + ")";
  }

  @Override
  public String toString() {
    return "'" + expression + "' in " + zone.getId();
  }
}
