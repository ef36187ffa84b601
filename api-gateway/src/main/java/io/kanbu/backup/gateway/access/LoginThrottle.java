package io.kanbu.backup.gateway.access;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed logins per login name, known or not (so the answer does not tell which names
 * exist), and locks a name for {@link AccessProperties#lockout()} after {@link
 * AccessProperties#maxFailedLogins()} failures in a row. Kept in the catalog, so every gateway
 * replica and a restart see the same count.
 */
@Service
public class LoginThrottle {

  private final LoginFailureRepository failures;
  private final AccessProperties properties;
  private final Clock clock;

  public LoginThrottle(LoginFailureRepository failures, AccessProperties properties, Clock clock) {
    this.failures = failures;
    this.properties = properties;
    this.clock = clock;
  }

  /** Until when the name is locked, if it is locked now. */
  @Transactional(readOnly = true)
  public Optional<Instant> lockedUntil(String username) {
    Instant now = clock.instant();
    return failures
        .findById(UserAccounts.canonical(username))
        .map(LoginFailure::getLockedUntil)
        .filter(until -> until.isAfter(now));
  }

  /**
   * Counts a failed login.
   *
   * @return until when the name is locked, if this failure locked it
   */
  @Transactional
  public Optional<Instant> recordFailure(String username) {
    String canonical = UserAccounts.canonical(username);
    String name = canonical.length() > 100 ? canonical.substring(0, 100) : canonical;
    Instant now = clock.instant();
    LoginFailure failure =
        failures.lockByUsername(name).orElseGet(() -> failures.save(new LoginFailure(name, now)));
    failure.fail(now, properties.maxFailedLogins(), properties.lockout());
    Instant until = failure.getLockedUntil();
    return until != null && until.isAfter(now) && failure.getFailures() == 0
        ? Optional.of(until)
        : Optional.empty();
  }

  /** Forgets the failures of a name after a successful login. */
  @Transactional
  public void recordSuccess(String username) {
    failures
        .findById(UserAccounts.canonical(username))
        .ifPresent(f -> f.startOver(clock.instant()));
  }
}
