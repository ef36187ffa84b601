package io.kanbu.backup.gateway.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Times, ages and sizes as the pages print them (available to templates as {@code fmt}). */
public final class Formats {

  /** The one instance templates use. */
  public static final Formats INSTANCE = new Formats();

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** "2026-01-31 12:00:00 UTC", or "–". */
  public String time(@Nullable Instant instant) {
    return instant == null ? "–" : TIME.format(instant);
  }

  /** "3 h ago", "never". */
  public String ago(@Nullable Instant then, Instant now) {
    if (then == null) {
      return "never";
    }
    Duration age = Duration.between(then, now);
    if (age.isNegative() || age.toSeconds() < 60) {
      return "just now";
    }
    if (age.toMinutes() < 120) {
      return age.toMinutes() + " min ago";
    }
    if (age.toHours() < 48) {
      return age.toHours() + " h ago";
    }
    return age.toDays() + " days ago";
  }

  /** "1m 05s" for a running time between two instants (or until now). */
  public String elapsed(@Nullable Instant from, @Nullable Instant to, Instant now) {
    if (from == null) {
      return "–";
    }
    Duration d = Duration.between(from, to == null ? now : to);
    return d.toMinutes() + "m " + String.format(Locale.ROOT, "%02d", d.toSecondsPart()) + "s";
  }

  /** "1.5 MiB". */
  public String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
