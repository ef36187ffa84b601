package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Grants a request when the caller's role includes the one {@link AccessPolicy} asks for. */
final class PolicyAuthorizationManager
    implements AuthorizationManager<RequestAuthorizationContext> {

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends @Nullable Authentication> authentication,
      RequestAuthorizationContext context) {
    HttpServletRequest request = context.getRequest();
    Optional<Role> required = AccessPolicy.requiredRole(request.getMethod(), path(request));
    if (required.isEmpty()) {
      return new AuthorizationDecision(true);
    }
    Optional<Role> caller = roleOf(authentication.get());
    return new AuthorizationDecision(caller.map(r -> r.includes(required.get())).orElse(false));
  }

  /** The highest role among an authentication's authorities; empty for anonymous callers. */
  static Optional<Role> roleOf(@Nullable Authentication authentication) {
    if (authentication == null
        || authentication instanceof AnonymousAuthenticationToken
        || !authentication.isAuthenticated()) {
      return Optional.empty();
    }
    Role best = null;
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      for (Role role : Role.values()) {
        if (role.authority().equals(authority.getAuthority())
            && (best == null || role.includes(best))) {
          best = role;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The container's decoded, normalized path: "//api/..." or "/api/./..." cannot slip past. */
  static String path(HttpServletRequest request) {
    String pathInfo = request.getPathInfo();
    String path = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }
}
