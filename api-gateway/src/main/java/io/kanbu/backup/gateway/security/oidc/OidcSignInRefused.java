package io.kanbu.backup.gateway.security.oidc;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * A sign-in the provider vouched for but the gateway refuses: no role, an unverified e-mail
 * address, a disabled user, or a name taken by another user. It names who was refused, for the
 * audit log, and the reason the login page explains.
 */
final class OidcSignInRefused extends OAuth2AuthenticationException {

  /** Why, with the code the login page is given ({@code /login?error=<code>}). */
  enum Reason {
    NO_ROLE("oidc-no-role"),
    EMAIL_NOT_VERIFIED("oidc-email"),
    DISABLED("disabled"),
    NAME_TAKEN("oidc-name-taken");

    private final String pageCode;

    Reason(String pageCode) {
      this.pageCode = pageCode;
    }

    String pageCode() {
      return pageCode;
    }
  }

  private final Reason reason;
  private final String username;

  OidcSignInRefused(Reason reason, String username, String message) {
    super(new OAuth2Error("access_denied", message, null), message);
    this.reason = reason;
    this.username = username;
  }

  Reason reason() {
    return reason;
  }

  /** The dashboard user name of who was refused. */
  String username() {
    return username;
  }
}
