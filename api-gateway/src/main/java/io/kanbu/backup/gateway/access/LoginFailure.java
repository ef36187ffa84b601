package io.kanbu.backup.gateway.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Failed logins in a row for one login name, and until when the name is locked. */
@Entity
@Table(name = "login_failure")
public class LoginFailure {

  @Id private String username;

  @Column(nullable = false)
  private int failures;

  @Column(name = "last_failure_at", nullable = false)
  private Instant lastFailureAt;

  @Column(name = "locked_until")
  private @Nullable Instant lockedUntil;

  protected LoginFailure() {}

  LoginFailure(String username, Instant now) {
    this.username = username;
    this.failures = 0;
    this.lastFailureAt = now;
  }

  public String getUsername() {
    return username;
  }

  public int getFailures() {
    return failures;
  }

  public @Nullable Instant getLockedUntil() {
    return lockedUntil;
  }

  Instant getLastFailureAt() {
    return lastFailureAt;
  }

  void fail(Instant now, int maxFailures, java.time.Duration lockFor) {
    failures++;
    lastFailureAt = now;
    if (failures >= maxFailures) {
      lockedUntil = now.plus(lockFor);
      failures = 0;
    }
  }

  void startOver(Instant now) {
    failures = 0;
    lastFailureAt = now;
  }
}
