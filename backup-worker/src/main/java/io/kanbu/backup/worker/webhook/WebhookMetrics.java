package io.kanbu.backup.worker.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * This worker's webhook attempts: {@code kanbu_backup_webhook_deliveries_total{outcome}} ({@code
 * delivered}, {@code retrying}: failed and queued again, {@code failed}: given up or refused) and
 * {@code kanbu_backup_webhook_delivery_delay_seconds}, a histogram of the time from the event to
 * its delivery (retries included), which is what a subscriber waits.
 */
@Component
public class WebhookMetrics {

  /** The outcome of one attempt. */
  public enum Outcome {
    DELIVERED("delivered"),
    RETRYING("retrying"),
    FAILED("failed");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final MeterRegistry registry;
  private final Timer delay;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.delay =
        Timer.builder("kanbu.backup.webhook.delivery.delay")
            .description("From an event to its delivery to a webhook endpoint, retries included")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(50))
            .maximumExpectedValue(Duration.ofDays(3))
            .register(registry);
  }

  /** Counts an attempt's outcome. */
  public void attempted(Outcome outcome) {
    Counter.builder("kanbu.backup.webhook.deliveries")
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", outcome.label)
        .register(registry)
        .increment();
  }

  /** Records a delivery made {@code delay} after its event. */
  public void delivered(Duration sinceEvent) {
    attempted(Outcome.DELIVERED);
    delay.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }
}
