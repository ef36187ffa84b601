package io.kanbu.backup.gateway.access;

import java.time.Instant;
import java.util.UUID;

/** A user as the API shows it: never the password hash. */
public record UserView(
    UUID id,
    String username,
    Role role,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt,
    String createdBy) {

  static UserView of(DashboardUser user) {
    return new UserView(
        user.getId(),
        user.getUsername(),
        user.getRole(),
        user.isEnabled(),
        user.getCreatedAt(),
        user.getUpdatedAt(),
        user.getCreatedBy());
  }
}
