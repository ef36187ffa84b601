package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event for one endpoint. Its id is the {@code webhook-id} of every attempt and replay, so a
 * receiver deduplicates on it. Attempts are claimed with {@link
 * WebhookDeliveryRepository#claimAttempt}: a queued message stands for attempt {@code attempts +
 * 1}, and a message for an attempt already made is a duplicate.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {

  /** Where a delivery stands. */
  public enum Status {
    PENDING,
    DELIVERED,
    FAILED
  }

  @Id private UUID id;

  @Column(name = "endpoint_id", nullable = false)
  private UUID endpointId;

  @Column(name = "event_id", nullable = false)
  private UUID eventId;

  @Column(name = "event_type", nullable = false)
  private String eventType;

  @Column(nullable = false)
  private String payload;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Status status;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "round_start", nullable = false)
  private int roundStart;

  @Column(name = "first_attempt_at")
  private @Nullable Instant firstAttemptAt;

  @Column(name = "last_attempt_at")
  private @Nullable Instant lastAttemptAt;

  @Column(name = "next_attempt_at")
  private @Nullable Instant nextAttemptAt;

  @Column(nullable = false)
  private boolean test;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected WebhookDelivery() {}

  /** A delivery due now. */
  public WebhookDelivery(
      UUID id,
      UUID endpointId,
      UUID eventId,
      String eventType,
      String payload,
      boolean test,
      Instant now) {
    this.id = Objects.requireNonNull(id, "id");
    this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.eventType = Objects.requireNonNull(eventType, "eventType");
    this.payload = Objects.requireNonNull(payload, "payload");
    this.status = Status.PENDING;
    this.test = test;
    this.nextAttemptAt = now;
    this.createdAt = now;
  }

  /** The attempt delivered it. */
  public void delivered() {
    status = Status.DELIVERED;
    nextAttemptAt = null;
  }

  /** The attempt failed and another is due at {@code at}. */
  public void retryAt(Instant at) {
    status = Status.PENDING;
    nextAttemptAt = at;
  }

  /** No more attempts: the schedule gave up, or the endpoint is gone or disabled. */
  public void failed() {
    status = Status.FAILED;
    nextAttemptAt = null;
  }

  /** Sends it again with the same id, as a new round of attempts starting now. */
  public void replay(Instant now) {
    status = Status.PENDING;
    roundStart = attempts;
    firstAttemptAt = null;
    nextAttemptAt = now;
  }

  /** Attempts made in the current round (all failed, if it is still pending). */
  public int attemptsThisRound() {
    return attempts - roundStart;
  }

  public UUID getId() {
    return id;
  }

  public UUID getEndpointId() {
    return endpointId;
  }

  public UUID getEventId() {
    return eventId;
  }

  public String getEventType() {
    return eventType;
  }

  public String getPayload() {
    return payload;
  }

  public Status getStatus() {
    return status;
  }

  public int getAttempts() {
    return attempts;
  }

  public @Nullable Instant getFirstAttemptAt() {
    return firstAttemptAt;
  }

  public @Nullable Instant getLastAttemptAt() {
    return lastAttemptAt;
  }

  public @Nullable Instant getNextAttemptAt() {
    return nextAttemptAt;
  }

  public boolean isTest() {
    return test;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
