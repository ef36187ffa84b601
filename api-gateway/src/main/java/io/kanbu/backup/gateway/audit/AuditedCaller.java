package io.kanbu.backup.gateway.audit;

import io.kanbu.backup.gateway.audit.AuditRecord.AuthenticatedBy;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Who a request's authentication stands for in the audit log. Authentications that are not a
 * password session (tokens, the service key) implement {@link Credential} to say what they are, or
 * their principal does (a session opened through an OIDC provider).
 */
public record AuditedCaller(String actor, AuthenticatedBy authenticatedBy) {

  /** The actor of requests that proved nothing. */
  public static final String ANONYMOUS = "anonymous";

  /** Implemented by authentications, or their principals, that are not a password session. */
  public interface Credential {
    AuthenticatedBy authenticatedBy();
  }

  /** The caller of an authentication, anonymous when there is none. */
  public static AuditedCaller of(@Nullable Authentication authentication) {
    if (authentication == null
        || authentication instanceof AnonymousAuthenticationToken
        || !authentication.isAuthenticated()) {
      return new AuditedCaller(ANONYMOUS, AuthenticatedBy.NONE);
    }
    if (authentication instanceof Credential credential) {
      return new AuditedCaller(authentication.getName(), credential.authenticatedBy());
    }
    if (authentication.getPrincipal() instanceof Credential credential) {
      return new AuditedCaller(authentication.getName(), credential.authenticatedBy());
    }
    return new AuditedCaller(authentication.getName(), AuthenticatedBy.SESSION);
  }
}
