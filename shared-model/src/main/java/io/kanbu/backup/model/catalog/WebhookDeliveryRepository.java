package io.kanbu.backup.model.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Webhook deliveries. */
public interface WebhookDeliveryRepository extends JpaRepository<WebhookDelivery, UUID> {

  /** How many deliveries are in {@code status}. */
  long countByStatus(WebhookDelivery.Status status);

  /**
   * Stores a delivery unless the endpoint already has one for the event (a redelivered event fans
   * out once).
   *
   * @return 1 if stored, 0 if it was there
   */
  @Modifying
  @Query(
      value =
          """
          INSERT INTO webhook_delivery
                 (id, endpoint_id, event_id, event_type, payload, status, attempts, round_start,
                  next_attempt_at, test, created_at)
          VALUES (:id, :endpointId, :eventId, :eventType, :payload, 'PENDING', 0, 0,
                  :now, false, :now)
          ON CONFLICT ON CONSTRAINT one_delivery_per_endpoint_and_event DO NOTHING
          """,
      nativeQuery = true)
  int insertIfAbsent(
      @Param("id") UUID id,
      @Param("endpointId") UUID endpointId,
      @Param("eventId") UUID eventId,
      @Param("eventType") String eventType,
      @Param("payload") String payload,
      @Param("now") Instant now);

  /**
   * Claims attempt {@code attempt} of a pending delivery: only one message for it gets a row, a
   * duplicate (the attempt was claimed already) gets 0. During the attempt {@code next_attempt_at}
   * is when the attempt counts as lost (its worker died), for {@link #findOverdue}.
   *
   * @return 1 if this caller makes the attempt
   */
  @Modifying(clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE webhook_delivery
             SET attempts = :attempt,
                 first_attempt_at = COALESCE(first_attempt_at, :now),
                 last_attempt_at = :now,
                 next_attempt_at = :lostAfter
           WHERE id = :id AND status = 'PENDING' AND attempts = :attempt - 1
          """,
      nativeQuery = true)
  int claimAttempt(
      @Param("id") UUID id,
      @Param("attempt") int attempt,
      @Param("now") Instant now,
      @Param("lostAfter") Instant lostAfter);

  /**
   * Pending deliveries whose next attempt is overdue by more than the grace (the message for it was
   * lost: a publish that failed after the commit, a worker that died during an attempt), locked so
   * that only one worker sends them again.
   */
  @Query(
      value =
          """
          SELECT * FROM webhook_delivery
           WHERE status = 'PENDING' AND next_attempt_at < :before
           ORDER BY next_attempt_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
          """,
      nativeQuery = true)
  List<WebhookDelivery> findOverdue(@Param("before") Instant before, @Param("limit") int limit);

  /** Moves the due time of a delivery whose message was sent again, so it is not sent twice. */
  @Modifying
  @Query("UPDATE WebhookDelivery d SET d.nextAttemptAt = :at WHERE d.id = :id")
  int postpone(@Param("id") UUID id, @Param("at") Instant at);

  List<WebhookDelivery> findByEndpointIdOrderByCreatedAtDesc(UUID endpointId, Pageable page);

  List<WebhookDelivery> findByEventId(UUID eventId);
}
