package io.kanbu.backup.gateway.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person who logs in to the dashboard: with a password, kept only as a salted hash, or, for a
 * user linked to an OpenID Connect identity (issuer and subject), only through that provider.
 */
@Entity
@Table(name = "dashboard_user")
public class DashboardUser {

  @Id private UUID id;

  @Column(nullable = false, unique = true)
  private String username;

  /** Null for a user who signs in only through an OIDC provider. */
  @Column(name = "password_hash")
  private @Nullable String passwordHash;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Role role;

  @Column(nullable = false)
  private boolean enabled;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "created_by", nullable = false)
  private String createdBy;

  @Column(name = "oidc_issuer")
  private @Nullable String oidcIssuer;

  @Column(name = "oidc_subject")
  private @Nullable String oidcSubject;

  protected DashboardUser() {}

  DashboardUser(
      String username,
      @Nullable String passwordHash,
      Role role,
      String createdBy,
      Instant createdAt) {
    this.id = UUID.randomUUID();
    this.username = username;
    this.passwordHash = passwordHash;
    this.role = role;
    this.enabled = true;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
    this.createdBy = createdBy;
  }

  /** A user of an OIDC identity: no password, linked to the identity's issuer and subject. */
  static DashboardUser ofOidcIdentity(OidcIdentity identity, Role role, Instant createdAt) {
    DashboardUser user =
        new DashboardUser(identity.username(), null, role, "oidc login", createdAt);
    user.oidcIssuer = identity.issuer();
    user.oidcSubject = identity.subject();
    return user;
  }

  public UUID getId() {
    return id;
  }

  public String getUsername() {
    return username;
  }

  /** The password hash; null for a user who signs in only through an OIDC provider. */
  public @Nullable String getPasswordHash() {
    return passwordHash;
  }

  /** Whether this user signs in through an OIDC provider (and never with a password). */
  public boolean isOidc() {
    return oidcIssuer != null;
  }

  /** The issuer of the user's OIDC identity, if linked to one. */
  public @Nullable String getOidcIssuer() {
    return oidcIssuer;
  }

  public Role getRole() {
    return role;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public String getCreatedBy() {
    return createdBy;
  }

  void changeRole(Role newRole, Instant now) {
    this.role = newRole;
    this.updatedAt = now;
  }

  void changePasswordHash(String newHash, Instant now) {
    this.passwordHash = newHash;
    this.updatedAt = now;
  }

  void changeEnabled(boolean newEnabled, Instant now) {
    this.enabled = newEnabled;
    this.updatedAt = now;
  }
}
