package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.AccessProperties;
import io.kanbu.backup.gateway.access.LoginThrottle;
import io.kanbu.backup.gateway.access.UserAccounts;
import io.kanbu.backup.gateway.audit.AuditLog;
import io.kanbu.backup.gateway.audit.AuditOutcome;
import io.kanbu.backup.gateway.audit.AuditRecord;
import io.kanbu.backup.gateway.audit.AuditRecord.AuthenticatedBy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password logins with a brake: a locked name is refused before its password is even checked; a
 * wrong password waits {@link AccessProperties#failureDelay()} and counts towards the lock. Every
 * attempt is audited (the password never is).
 */
final class ThrottledLoginProvider implements AuthenticationProvider {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final AuthenticationProvider passwords;
  private final LoginThrottle throttle;
  private final AuditLog auditLog;
  private final AccessProperties properties;

  ThrottledLoginProvider(
      AuthenticationProvider passwords,
      LoginThrottle throttle,
      AuditLog auditLog,
      AccessProperties properties) {
    this.passwords = passwords;
    this.throttle = throttle;
    this.auditLog = auditLog;
    this.properties = properties;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String username = UserAccounts.canonical(authentication.getName());
    String address = remoteAddress(authentication);
    Optional<Instant> locked = throttle.lockedUntil(username);
    if (locked.isPresent()) {
      audit(username, address, AuditOutcome.DENIED, "login name is locked");
      throw lockedException(locked.get());
    }
    try {
      Authentication result = passwords.authenticate(authentication);
      throttle.recordSuccess(username);
      audit(username, address, AuditOutcome.SUCCESS, null);
      return result;
    } catch (BadCredentialsException e) {
      Optional<Instant> nowLocked = throttle.recordFailure(username);
      audit(
          username,
          address,
          AuditOutcome.FAILED,
          nowLocked.isPresent() ? "wrong password; the name is now locked" : "wrong password");
      pause();
      if (nowLocked.isPresent()) {
        throw lockedException(nowLocked.get());
      }
      throw e;
    } catch (DisabledException e) {
      audit(username, address, AuditOutcome.DENIED, "user is disabled");
      throw e;
    } catch (AuthenticationException e) {
      audit(username, address, AuditOutcome.FAILED, e.getClass().getSimpleName());
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  private LockedException lockedException(Instant until) {
    return new LockedException(
        "too many failed logins for this name; try again after "
            + TIME.format(until)
            + " or ask an administrator");
  }

  private void audit(
      String username, @Nullable String address, AuditOutcome outcome, @Nullable String detail) {
    auditLog.record(
        new AuditRecord(
            username, AuthenticatedBy.SESSION, "login", null, address, outcome, null, detail));
  }

  private void pause() {
    try {
      Thread.sleep(properties.failureDelay());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @Nullable String remoteAddress(Authentication authentication) {
    return authentication.getDetails() instanceof WebAuthenticationDetails details
        ? details.getRemoteAddress()
        : null;
  }
}
