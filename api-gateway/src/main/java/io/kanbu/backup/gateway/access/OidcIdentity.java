package io.kanbu.backup.gateway.access;

import java.util.Objects;

/**
 * Who signed in through an OpenID Connect provider: the provider's issuer and the identity's
 * subject (together the stable key of the identity), and the dashboard user name it would get.
 *
 * @param issuer the issuer of the ID token ({@code iss})
 * @param subject the identity at that issuer ({@code sub})
 * @param username the user name a new dashboard user of this identity gets, already canonical
 */
public record OidcIdentity(String issuer, String subject, String username) {

  public OidcIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    if (!UserAccounts.USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException(
          "user name '" + username + "' is not canonical; make it with OidcIdentity.usernameOf");
    }
  }

  /**
   * The dashboard user name for a name the provider gave: lowercase, characters a name may not hold
   * replaced by '_', at most 100 characters.
   */
  public static String usernameOf(String providerName) {
    String name = UserAccounts.canonical(providerName).replaceAll("[^a-z0-9._@-]", "_");
    return name.length() <= 100 ? name : name.substring(0, 100);
  }
}
