package io.kanbu.backup.gateway.access;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator when the catalog has no user: {@code BACKUP_ADMIN_USERNAME} with
 * {@code BACKUP_ADMIN_PASSWORD}, or with a generated password printed to the log this one time (it
 * is stored only hashed, so it can never be printed again).
 */
@Component
public class FirstAdministrator implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

  private final DashboardUserRepository users;
  private final UserAccounts accounts;
  private final AccessProperties properties;

  public FirstAdministrator(
      DashboardUserRepository users, UserAccounts accounts, AccessProperties properties) {
    this.users = users;
    this.accounts = accounts;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    createIfNoUserExists();
  }

  /** Creates the administrator if there is no user at all; does nothing otherwise. */
  public synchronized void createIfNoUserExists() {
    if (users.count() > 0) {
      return;
    }
    boolean generated = properties.adminPassword().isEmpty();
    String password = generated ? generatePassword() : properties.adminPassword();
    try {
      accounts.create(properties.adminUsername(), password, Role.ADMIN, "first start");
    } catch (AccessException.Conflict e) {
      // Another replica created it in the meantime.
      return;
    }
    if (generated) {
      // Printed once on purpose: the operator has no other way to learn it. Change it after the
      // first login, or set BACKUP_ADMIN_PASSWORD before the first start.
      log.warn(
          "created the first dashboard administrator '{}' with the generated password {} ;"
              + " it is shown only this once: log in and change it",
          properties.adminUsername(),
          password);
    } else {
      log.info(
          "created the first dashboard administrator '{}' with the password of"
              + " BACKUP_ADMIN_PASSWORD",
          properties.adminUsername());
    }
  }

  private static String generatePassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
