package io.kanbu.backup.gateway.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A token as the API shows it. {@code token} (the secret) is present only in the answer that issued
 * it; it cannot be read again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(
    UUID id,
    String name,
    String owner,
    Role role,
    Role effectiveRole,
    String prefix,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant revokedAt,
    @Nullable String token) {

  static TokenView of(ApiToken token) {
    return of(token, null);
  }

  static TokenView issued(ApiTokens.Issued issued) {
    return of(issued.token(), issued.secret());
  }

  private static TokenView of(ApiToken token, @Nullable String secret) {
    return new TokenView(
        token.getId(),
        token.getName(),
        token.getOwner().getUsername(),
        token.getRole(),
        token.effectiveRole(),
        token.getTokenPrefix(),
        token.getCreatedAt(),
        token.getExpiresAt(),
        token.getLastUsedAt(),
        token.getRevokedAt(),
        secret);
  }

  @Override
  public String toString() {
    return "TokenView[id=" + id + ", name=" + name + ", owner=" + owner + "]";
  }
}
