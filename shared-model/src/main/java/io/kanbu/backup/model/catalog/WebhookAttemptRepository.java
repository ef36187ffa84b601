package io.kanbu.backup.model.catalog;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Attempts of webhook deliveries. */
public interface WebhookAttemptRepository extends JpaRepository<WebhookAttempt, Long> {

  List<WebhookAttempt> findByDeliveryIdOrderByAttempt(UUID deliveryId);

  List<WebhookAttempt> findByDeliveryIdInOrderByAttempt(Collection<UUID> deliveryIds);
}
