package io.kanbu.backup.gateway.webhooks;

import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An endpoint as the API shows it: never its secrets. */
public record WebhookView(
    UUID id,
    String url,
    @Nullable String description,
    List<String> events,
    String format,
    boolean enabled,
    @Nullable String disabledReason,
    @Nullable Instant disabledAt,
    int consecutiveFailedDeliveries,
    String managedBy,
    boolean hasSecret,
    @Nullable Instant previousSecretValidUntil,
    Instant createdAt,
    Instant updatedAt) {

  static WebhookView of(WebhookEndpoint e) {
    return new WebhookView(
        e.getId(),
        e.getUrl(),
        e.getDescription(),
        e.filter().patterns(),
        e.getFormat().wireName(),
        e.isEnabled(),
        e.getDisabledReason(),
        e.getDisabledAt(),
        e.getConsecutiveFailures(),
        e.getManagedBy(),
        e.getSecret() != null,
        e.getPreviousSecretUntil(),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }

  /** The answer to a creation or rotation: the one time the secret is shown. */
  public record WithSecret(WebhookView webhook, String secret) {}

  /** A delivery and its attempts. */
  public record Delivery(
      UUID id,
      UUID eventId,
      String eventType,
      String status,
      boolean test,
      int attempts,
      @Nullable Instant firstAttemptAt,
      @Nullable Instant lastAttemptAt,
      @Nullable Instant nextAttemptAt,
      Instant createdAt,
      String body,
      List<Attempt> attemptLog) {

    static Delivery of(WebhookDelivery d, List<WebhookAttempt> attempts) {
      return new Delivery(
          d.getId(),
          d.getEventId(),
          d.getEventType(),
          d.getStatus().name(),
          d.isTest(),
          d.getAttempts(),
          d.getFirstAttemptAt(),
          d.getLastAttemptAt(),
          d.getStatus() == WebhookDelivery.Status.PENDING ? d.getNextAttemptAt() : null,
          d.getCreatedAt(),
          d.getPayload(),
          attempts.stream().map(Attempt::of).toList());
    }
  }

  /** One attempt: when, the answer (first 1 KB), how long, or what went wrong. */
  public record Attempt(
      int attempt,
      Instant at,
      @Nullable Integer httpStatus,
      long latencyMs,
      @Nullable String response,
      @Nullable String error) {

    static Attempt of(WebhookAttempt a) {
      return new Attempt(
          a.getAttempt(),
          a.getAttemptedAt(),
          a.getHttpStatus(),
          a.getLatencyMs(),
          a.getResponseExcerpt(),
          a.getError());
    }
  }

  /** The answer to a test or replay: the delivery to follow. */
  public record Queued(UUID deliveryId, int attempt, String deliveriesUrl) {}
}
