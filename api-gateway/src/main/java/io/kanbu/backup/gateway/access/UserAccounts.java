package io.kanbu.backup.gateway.access;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and changes dashboard users. Every rule about names, passwords and the last administrator
 * lives here, so the API and the pages behave the same.
 */
@Service
public class UserAccounts {

  /** A login name, lowercase: letters, digits, '.', '-', '_' and '@', 1 to 100 characters. */
  public static final Pattern USERNAME = Pattern.compile("[a-z0-9._@-]{1,100}");

  private final DashboardUserRepository users;
  private final PasswordEncoder passwords;
  private final AccessProperties properties;
  private final Clock clock;

  public UserAccounts(
      DashboardUserRepository users,
      PasswordEncoder passwords,
      AccessProperties properties,
      Clock clock) {
    this.users = users;
    this.passwords = passwords;
    this.properties = properties;
    this.clock = clock;
  }

  /** The canonical (lowercase, stripped) form of a login name. */
  public static String canonical(String username) {
    return username.strip().toLowerCase(Locale.ROOT);
  }

  @Transactional(readOnly = true)
  public List<DashboardUser> list() {
    return users.findAllByOrderByUsername();
  }

  @Transactional(readOnly = true)
  public DashboardUser find(UUID id) {
    return users
        .findById(id)
        .orElseThrow(() -> new AccessException.NotFound("no user with id '" + id + "'"));
  }

  /** Creates a user; the name must be new and valid, the password long enough. */
  @Transactional
  public DashboardUser create(String username, String password, Role role, String createdBy) {
    String name = canonical(username);
    if (!USERNAME.matcher(name).matches()) {
      throw new AccessException.Invalid(
          "username",
          "user name '"
              + username
              + "' is not valid; use 1 to 100 letters, digits, '.', '-', '_' or '@'");
    }
    if (users.findByUsername(name).isPresent()) {
      throw new AccessException.Conflict(
          "user '" + name + "' exists already; choose another name or change that user");
    }
    checkPassword(password);
    return users.save(
        new DashboardUser(name, passwords.encode(password), role, createdBy, clock.instant()));
  }

  /** Changes the role; the last enabled administrator cannot lose it. */
  @Transactional
  public DashboardUser changeRole(UUID id, Role role) {
    DashboardUser user = find(id);
    if (user.getRole() == Role.ADMIN && role != Role.ADMIN) {
      requireAnotherAdmin(user, "take the administrator role from");
    }
    user.changeRole(role, clock.instant());
    return user;
  }

  /** Enables or disables a user; the last enabled administrator cannot be disabled. */
  @Transactional
  public DashboardUser changeEnabled(UUID id, boolean enabled) {
    DashboardUser user = find(id);
    if (!enabled && user.isEnabled() && user.getRole() == Role.ADMIN) {
      requireAnotherAdmin(user, "disable");
    }
    user.changeEnabled(enabled, clock.instant());
    return user;
  }

  /** Sets a new password. */
  @Transactional
  public DashboardUser changePassword(UUID id, String password) {
    checkPassword(password);
    DashboardUser user = find(id);
    if (user.isOidc()) {
      throw new AccessException.Conflict(
          "user '"
              + user.getUsername()
              + "' signs in through the OIDC provider and has no password; change it there");
    }
    user.changePasswordHash(passwords.encode(password), clock.instant());
    return user;
  }

  /** Deletes a user and their tokens; the last enabled administrator cannot be deleted. */
  @Transactional
  public DashboardUser delete(UUID id) {
    DashboardUser user = find(id);
    if (user.isEnabled() && user.getRole() == Role.ADMIN) {
      requireAnotherAdmin(user, "delete");
    }
    users.delete(user);
    return user;
  }

  private void requireAnotherAdmin(DashboardUser user, String what) {
    if (users.countByRoleAndEnabledTrue(Role.ADMIN) <= 1) {
      throw new AccessException.Conflict(
          "cannot "
              + what
              + " '"
              + user.getUsername()
              + "': it is the last enabled administrator; make another user an administrator"
              + " first");
    }
  }

  private void checkPassword(String password) {
    if (password.length() < properties.minPasswordLength()) {
      throw new AccessException.Invalid(
          "password",
          "the password is shorter than "
              + properties.minPasswordLength()
              + " characters; choose a longer one (a passphrase of several words works well)");
    }
    if (password.length() > 200) {
      throw new AccessException.Invalid(
          "password", "the password is longer than 200 characters; choose a shorter one");
    }
  }
}
