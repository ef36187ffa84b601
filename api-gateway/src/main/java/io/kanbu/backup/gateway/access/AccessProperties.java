package io.kanbu.backup.gateway.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Users, logins and tokens (prefix {@code kanbu.access}).
 *
 * @param adminUsername {@code BACKUP_ADMIN_USERNAME}: the administrator created when the catalog
 *     has no user yet (default {@code admin})
 * @param adminPassword {@code BACKUP_ADMIN_PASSWORD}: that administrator's password; when empty a
 *     random one is generated and printed to the log once, at that first start only
 * @param maxFailedLogins {@code BACKUP_LOGIN_MAX_FAILURES}: failed logins in a row that lock a
 *     login name
 * @param lockout {@code BACKUP_LOGIN_LOCKOUT}: how long a locked name stays locked
 * @param failureDelay {@code BACKUP_LOGIN_FAILURE_DELAY}: how long a failed login waits before it
 *     answers (slows down guessing)
 * @param minPasswordLength shortest password a user may be given
 */
@ConfigurationProperties("kanbu.access")
public record AccessProperties(
    @DefaultValue("admin") String adminUsername,
    @DefaultValue("") String adminPassword,
    @DefaultValue("5") int maxFailedLogins,
    @DefaultValue("15m") Duration lockout,
    @DefaultValue("1s") Duration failureDelay,
    @DefaultValue("12") int minPasswordLength) {

  public AccessProperties {
    adminUsername = adminUsername.strip();
    if (!UserAccounts.USERNAME
        .matcher(adminUsername.toLowerCase(java.util.Locale.ROOT))
        .matches()) {
      throw new IllegalArgumentException(
          "BACKUP_ADMIN_USERNAME '"
              + adminUsername
              + "' is not a valid user name; use 1 to 100 letters, digits, '.', '-', '_' or '@'");
    }
    if (!adminPassword.isEmpty() && adminPassword.length() < minPasswordLength) {
      throw new IllegalArgumentException(
          "BACKUP_ADMIN_PASSWORD is shorter than "
              + minPasswordLength
              + " characters; choose a longer one, or leave it empty to have one generated");
    }
    if (maxFailedLogins < 1) {
      throw new IllegalArgumentException(
          "BACKUP_LOGIN_MAX_FAILURES is " + maxFailedLogins + "; set it to 1 or more");
    }
    if (lockout.isNegative() || lockout.isZero()) {
      throw new IllegalArgumentException(
          "BACKUP_LOGIN_LOCKOUT is " + lockout + "; set a positive duration such as 15m");
    }
    if (failureDelay.isNegative()) {
      throw new IllegalArgumentException(
          "BACKUP_LOGIN_FAILURE_DELAY is " + failureDelay + "; set zero or a positive duration");
    }
  }

  @Override
  public String toString() {
    return "AccessProperties[adminUsername="
        + adminUsername
        + ", adminPassword=<hidden>, maxFailedLogins="
        + maxFailedLogins
        + ", lockout="
        + lockout
        + ", failureDelay="
        + failureDelay
        + "]";
  }
}
