package io.kanbu.backup.gateway.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user or token may do; each role includes the ones before it. {@code VIEWER} sees
 * everything but downloads nothing; {@code OPERATOR} also triggers backups, verifies, runs drills,
 * manages schedules and webhooks; {@code ADMIN} also downloads, restores, deletes, pins, rekeys,
 * sets retention and manages users and tokens.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether this role may do what {@code required} may. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower of two roles (a token never acts above its owner). */
  public Role atMost(Role other) {
    return includes(other) ? other : this;
  }

  /** The Spring Security authority of exactly this role ({@code ROLE_ADMIN}). */
  public String authority() {
    return "ROLE_" + name();
  }

  /** The role named {@code value}, case-insensitively, or an error listing the valid names. */
  public static Role parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "role '"
              + value
              + "' is not known; use one of "
              + Arrays.stream(values()).map(Role::name).collect(Collectors.joining(", ")),
          e);
    }
  }
}
