package io.kanbu.backup.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void withoutJitter_theDelaysAreTheDocumentedOnes_untilThreeDaysHavePassed() {
    RetrySchedule schedule = new RetrySchedule(1.0, () -> 0.5);
    List<Duration> delays = new ArrayList<>();
    Instant now = START;
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> next = schedule.nextDelay(attempt, START, now, null);
      if (next.isEmpty()) {
        break;
      }
      delays.add(next.get());
      now = now.plus(next.get());
    }

    assertThat(delays.subList(0, 7))
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(24));
    assertThat(Duration.between(START, now)).isLessThanOrEqualTo(Duration.ofDays(3));
    assertThat(delays).hasSize(8);
  }

  @Test
  void jitter_staysWithinTenPercent() {
    assertThat(new RetrySchedule(1.0, () -> 0.0).nextDelay(2, START, START, null))
        .contains(Duration.ofSeconds(270));
    assertThat(new RetrySchedule(1.0, () -> 0.999999).nextDelay(2, START, START, null))
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(329), Duration.ofSeconds(330)));
  }

  @Test
  void retryAfter_isHonouredWhenLonger() {
    RetrySchedule schedule = new RetrySchedule(1.0, () -> 0.5);

    assertThat(schedule.nextDelay(1, START, START, Duration.ofSeconds(90)))
        .contains(Duration.ofSeconds(90));
    assertThat(schedule.nextDelay(2, START, START, Duration.ofSeconds(90)))
        .contains(Duration.ofMinutes(5));
  }

  @Test
  void aScaledSchedule_isShorterInEveryStep() {
    assertThat(new RetrySchedule(0.001, () -> 0.5).nextDelay(2, START, START, null))
        .contains(Duration.ofMillis(300));
  }

  @Test
  void retryAfterHeaders_inSecondsOrAsADate() {
    assertThat(RetrySchedule.parseRetryAfter("120", START)).contains(Duration.ofSeconds(120));
    assertThat(RetrySchedule.parseRetryAfter("Thu, 26 Nov 2026 10:01:00 GMT", START))
        .contains(Duration.ofSeconds(60));
    assertThat(RetrySchedule.parseRetryAfter("soon", START)).isEmpty();
    assertThat(RetrySchedule.parseRetryAfter(null, START)).isEmpty();
    assertThat(RetrySchedule.parseRetryAfter("-5", START)).isEmpty();
  }
}
