package io.kanbu.backup.gateway.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Personal API tokens. */
public interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

  Optional<ApiToken> findByTokenHash(String tokenHash);

  List<ApiToken> findAllByOrderByCreatedAtDesc();

  boolean existsByOwnerAndName(DashboardUser owner, String name);
}
