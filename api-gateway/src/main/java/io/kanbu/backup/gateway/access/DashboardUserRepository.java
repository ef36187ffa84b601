package io.kanbu.backup.gateway.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Dashboard users. */
public interface DashboardUserRepository extends JpaRepository<DashboardUser, UUID> {

  Optional<DashboardUser> findByUsername(String username);

  Optional<DashboardUser> findByOidcIssuerAndOidcSubject(String oidcIssuer, String oidcSubject);

  List<DashboardUser> findAllByOrderByUsername();

  long countByRoleAndEnabledTrue(Role role);
}
