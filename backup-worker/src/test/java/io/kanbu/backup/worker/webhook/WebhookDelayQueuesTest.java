package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookDelayQueuesTest {

  @Test
  void aDelay_startsInTheLargestTierThatFits() {
    assertThat(WebhookDelayQueues.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(WebhookDelayQueues.tierFor(Duration.ofMinutes(4))).isEqualTo(Duration.ofMinutes(2));
    assertThat(WebhookDelayQueues.tierFor(Duration.ofDays(2))).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aDelayShorterThanEveryTier_stillWaitsInTheShortest() {
    assertThat(WebhookDelayQueues.tierFor(Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(250));
  }
}
