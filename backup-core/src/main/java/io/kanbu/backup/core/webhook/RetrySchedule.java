package io.kanbu.backup.core.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When a failed webhook delivery is tried again: after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * then every 24 h until the delivery is 3 days old; then it has failed for good. Each delay varies
 * by up to ±10 % (jitter, so endpoints that failed together are not retried together), and is at
 * least what the endpoint asked for with {@code Retry-After}. A scale factor shortens every delay
 * (tests, never production).
 */
public final class RetrySchedule {

  private static final List<Duration> DELAYS =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10));
  private static final Duration DAILY = Duration.ofHours(24);
  private static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
  private static final double JITTER = 0.10;

  private final double scale;
  private final DoubleSupplier random;

  /**
   * @param scale 1.0 in production; e.g. 0.001 in tests, which shortens every delay (and the 3
   *     days) by that factor
   * @param random a uniform source in [0, 1)
   */
  public RetrySchedule(double scale, DoubleSupplier random) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("scale is " + scale + "; give a factor in (0, 1]");
    }
    this.scale = scale;
    this.random = random;
  }

  /** The production schedule. */
  public static RetrySchedule standard() {
    return new RetrySchedule(1.0, Math::random);
  }

  /**
   * The delay before the next attempt, or empty when the delivery has failed for good.
   *
   * @param failedAttempts attempts made so far, all failed (1 after the first)
   * @param firstAttemptAt when the first attempt was made
   * @param now the time of the failed attempt
   * @param retryAfter the endpoint's {@code Retry-After}, if it sent one
   */
  public Optional<Duration> nextDelay(
      int failedAttempts, Instant firstAttemptAt, Instant now, @Nullable Duration retryAfter) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts is " + failedAttempts + "; at least 1");
    }
    Duration base = failedAttempts <= DELAYS.size() ? DELAYS.get(failedAttempts - 1) : DAILY;
    double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
    Duration delay = scaled(base, factor * scale);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    Duration age = Duration.between(firstAttemptAt, now.plus(delay));
    if (age.compareTo(scaled(GIVE_UP_AFTER, scale)) > 0) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }

  /**
   * Reads a {@code Retry-After} header: seconds, or an HTTP date.
   *
   * @return empty if absent, unreadable or in the past
   */
  public static Optional<Duration> parseRetryAfter(@Nullable String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      // not seconds: an HTTP date?
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration scaled(Duration d, double factor) {
    return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * factor)));
  }
}
