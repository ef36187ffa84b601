package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One try of a webhook delivery, as an operator sees it in the API. */
@Entity
@Table(name = "webhook_attempt")
public class WebhookAttempt {

  /** How much of a response body is kept. */
  public static final int EXCERPT_CHARS = 1024;

  private static final int ERROR_CHARS = 2000;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(name = "delivery_id", nullable = false)
  private UUID deliveryId;

  @Column(nullable = false)
  private int attempt;

  @Column(name = "attempted_at", nullable = false)
  private Instant attemptedAt;

  @Column(name = "http_status")
  private @Nullable Integer httpStatus;

  @Column(name = "latency_ms", nullable = false)
  private long latencyMs;

  @Column(name = "response_excerpt")
  private @Nullable String responseExcerpt;

  private @Nullable String error;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected WebhookAttempt() {}

  public WebhookAttempt(
      UUID deliveryId,
      int attempt,
      Instant attemptedAt,
      @Nullable Integer httpStatus,
      long latencyMs,
      @Nullable String responseExcerpt,
      @Nullable String error) {
    this.deliveryId = Objects.requireNonNull(deliveryId, "deliveryId");
    this.attempt = attempt;
    this.attemptedAt = Objects.requireNonNull(attemptedAt, "attemptedAt");
    this.httpStatus = httpStatus;
    this.latencyMs = latencyMs;
    this.responseExcerpt = truncate(responseExcerpt, EXCERPT_CHARS);
    this.error = truncate(error, ERROR_CHARS);
  }

  private static @Nullable String truncate(@Nullable String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }

  public @Nullable Long getId() {
    return id;
  }

  public UUID getDeliveryId() {
    return deliveryId;
  }

  public int getAttempt() {
    return attempt;
  }

  public Instant getAttemptedAt() {
    return attemptedAt;
  }

  public @Nullable Integer getHttpStatus() {
    return httpStatus;
  }

  public long getLatencyMs() {
    return latencyMs;
  }

  public @Nullable String getResponseExcerpt() {
    return responseExcerpt;
  }

  public @Nullable String getError() {
    return error;
  }
}
