package io.kanbu.backup.gateway.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person who logs in to the dashboard. The password is kept only as a salted hash. */
@Entity
@Table(name = "dashboard_user")
public class DashboardUser {

  @Id private UUID id;

  @Column(nullable = false, unique = true)
  private String username;

  @Column(name = "password_hash", nullable = false)
  private String passwordHash;

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

  protected DashboardUser() {}

  DashboardUser(
      String username, String passwordHash, Role role, String createdBy, Instant createdAt) {
    this.id = UUID.randomUUID();
    this.username = username;
    this.passwordHash = passwordHash;
    this.role = role;
    this.enabled = true;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
    this.createdBy = createdBy;
  }

  public UUID getId() {
    return id;
  }

  public String getUsername() {
    return username;
  }

  public String getPasswordHash() {
    return passwordHash;
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
