package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.audit.AuditLog;
import io.kanbu.backup.gateway.audit.AuditOutcome;
import io.kanbu.backup.gateway.audit.AuditRecord;
import io.kanbu.backup.gateway.audit.AuditRecord.AuthenticatedBy;
import io.kanbu.backup.gateway.audit.AuditedCaller;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * Ends every sign-in through the provider in the audit log (action {@code login}, method {@code
 * oidc}) and on the right page: a success goes on to the page first asked for (else the overview);
 * a refusal goes back to the login page with a code it explains. A sign-in whose answer from the
 * provider could not be verified (signature, issuer, nonce, state) is recorded as {@code
 * anonymous}: nobody proved who they are.
 */
final class OidcLoginOutcomes
    implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

  /** The login page's code for an answer from the provider that was not accepted. */
  static final String FAILED_CODE = "oidc";

  private static final Logger log = LoggerFactory.getLogger(OidcLoginOutcomes.class);

  private final AuditLog auditLog;
  private final SavedRequestAwareAuthenticationSuccessHandler next =
      new SavedRequestAwareAuthenticationSuccessHandler();

  OidcLoginOutcomes(AuditLog auditLog) {
    this.auditLog = auditLog;
    next.setDefaultTargetUrl("/");
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException, ServletException {
    String role =
        authentication.getPrincipal() instanceof DashboardOidcUser user
            ? "role " + user.role()
            : null;
    audit(request, authentication.getName(), AuditOutcome.SUCCESS, role);
    next.onAuthenticationSuccess(request, response, authentication);
  }

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    String code;
    if (exception instanceof OidcSignInRefused refused) {
      audit(request, refused.username(), AuditOutcome.DENIED, refused.getMessage());
      code = refused.reason().pageCode();
    } else {
      String detail = describe(exception);
      log.warn("a sign-in through the OIDC provider was not accepted: {}", detail);
      audit(request, AuditedCaller.ANONYMOUS, AuditOutcome.FAILED, detail);
      code = FAILED_CODE;
    }
    response.sendRedirect(request.getContextPath() + "/login?error=" + code);
  }

  /** The OAuth 2.0 error code and its description; neither holds a token or a secret. */
  private static String describe(AuthenticationException exception) {
    if (exception instanceof OAuth2AuthenticationException oauth2) {
      OAuth2Error error = oauth2.getError();
      String description = error.getDescription();
      return "oidc: "
          + error.getErrorCode()
          + (description == null ? "" : ": " + shortened(description));
    }
    return "oidc: " + exception.getClass().getSimpleName();
  }

  private static String shortened(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private void audit(
      HttpServletRequest request, String actor, AuditOutcome outcome, @Nullable String detail) {
    auditLog.record(
        new AuditRecord(
            actor,
            AuthenticatedBy.OIDC,
            "login",
            null,
            request.getRemoteAddr(),
            outcome,
            null,
            detail));
  }
}
