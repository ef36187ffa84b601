package io.kanbu.backup.gateway.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A personal API token of a user: only its SHA-256 digest is stored, never the token. It acts with
 * its own role, or with its owner's if that is lower, and stops working when revoked, expired, or
 * when its owner is disabled.
 */
@Entity
@Table(name = "api_token")
public class ApiToken {

  @Id private UUID id;

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "user_id", nullable = false)
  private DashboardUser owner;

  @Column(nullable = false)
  private String name;

  @Column(name = "token_hash", nullable = false, unique = true)
  private String tokenHash;

  @Column(name = "token_prefix", nullable = false)
  private String tokenPrefix;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Role role;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "expires_at")
  private @Nullable Instant expiresAt;

  @Column(name = "last_used_at")
  private @Nullable Instant lastUsedAt;

  @Column(name = "revoked_at")
  private @Nullable Instant revokedAt;

  protected ApiToken() {}

  ApiToken(
      DashboardUser owner,
      String name,
      String tokenHash,
      String tokenPrefix,
      Role role,
      Instant createdAt,
      @Nullable Instant expiresAt) {
    this.id = UUID.randomUUID();
    this.owner = owner;
    this.name = name;
    this.tokenHash = tokenHash;
    this.tokenPrefix = tokenPrefix;
    this.role = role;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  public UUID getId() {
    return id;
  }

  public DashboardUser getOwner() {
    return owner;
  }

  public String getName() {
    return name;
  }

  public String getTokenPrefix() {
    return tokenPrefix;
  }

  public Role getRole() {
    return role;
  }

  /** The role the token acts with: its own, capped by its owner's. */
  public Role effectiveRole() {
    return owner.getRole().atMost(role);
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getExpiresAt() {
    return expiresAt;
  }

  public @Nullable Instant getLastUsedAt() {
    return lastUsedAt;
  }

  public @Nullable Instant getRevokedAt() {
    return revokedAt;
  }

  /** Whether the token may be used at {@code now}. */
  public boolean isUsableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt)) && owner.isEnabled();
  }

  void markUsed(Instant now) {
    this.lastUsedAt = now;
  }

  void revoke(Instant now) {
    if (revokedAt == null) {
      this.revokedAt = now;
    }
  }
}
