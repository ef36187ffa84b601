package io.kanbu.backup.gateway.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A user as the API shows it: never the password hash. {@code oidc} is true for a user who signs in
 * through the OIDC provider (and has no password).
 */
public record UserView(
    UUID id,
    String username,
    Role role,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt,
    String createdBy,
    boolean oidc) {

  static UserView of(DashboardUser user) {
    return new UserView(
        user.getId(),
        user.getUsername(),
        user.getRole(),
        user.isEnabled(),
        user.getCreatedAt(),
        user.getUpdatedAt(),
        user.getCreatedBy(),
        user.isOidc());
  }
}
