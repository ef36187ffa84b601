package io.kanbu.backup.model.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Webhook subscribers. */
public interface WebhookEndpointRepository extends JpaRepository<WebhookEndpoint, UUID> {

  List<WebhookEndpoint> findByEnabledTrue();

  List<WebhookEndpoint> findAllByOrderByCreatedAt();

  /** The endpoint, locked until the transaction ends (failure counting, disabling). */
  @Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
  @Query("SELECT e FROM WebhookEndpoint e WHERE e.id = :id")
  Optional<WebhookEndpoint> lockById(@Param("id") UUID id);
}
