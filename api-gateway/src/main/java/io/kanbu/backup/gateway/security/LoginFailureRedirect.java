package io.kanbu.backup.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Sends a failed login back to the login page with the reason as a code the page explains: wrong
 * name or password (never which of the two), locked after too many failures, or disabled.
 */
final class LoginFailureRedirect implements AuthenticationFailureHandler {

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    String reason =
        switch (exception) {
          case LockedException locked -> "locked";
          case DisabledException disabled -> "disabled";
          default -> "bad";
        };
    response.sendRedirect(request.getContextPath() + "/login?error=" + reason);
  }
}
