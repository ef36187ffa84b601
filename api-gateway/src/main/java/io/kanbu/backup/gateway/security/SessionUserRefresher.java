package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.DashboardUserRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a logged-in session (password or OIDC) in step with the catalog on every request: a user
 * who was disabled or deleted is logged out at once, and a changed role takes effect on the next
 * page, not at the next login.
 */
final class SessionUserRefresher extends OncePerRequestFilter {

  private final DashboardUserRepository users;

  SessionUserRefresher(DashboardUserRepository users) {
    this.users = users;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    SecurityContext context = SecurityContextHolder.getContext();
    Authentication session = context.getAuthentication();
    if ((session instanceof UsernamePasswordAuthenticationToken
            || session instanceof OAuth2AuthenticationToken)
        && session.isAuthenticated()) {
      Optional<DashboardUser> user =
          users.findByUsername(session.getName()).filter(DashboardUser::isEnabled);
      if (user.isEmpty()) {
        SecurityContextHolder.clearContext();
        HttpSession httpSession = request.getSession(false);
        if (httpSession != null) {
          httpSession.invalidate();
        }
      } else if (!session
          .getAuthorities()
          .contains(new SimpleGrantedAuthority(user.get().getRole().authority()))) {
        AbstractAuthenticationToken refreshed =
            withAuthorities(
                session, List.of(new SimpleGrantedAuthority(user.get().getRole().authority())));
        refreshed.setDetails(session.getDetails());
        SecurityContext updated = SecurityContextHolder.createEmptyContext();
        updated.setAuthentication(refreshed);
        SecurityContextHolder.setContext(updated);
        // Saved so that later requests see the new role too.
        request
            .getSession()
            .setAttribute(
                org.springframework.security.web.context.HttpSessionSecurityContextRepository
                    .SPRING_SECURITY_CONTEXT_KEY,
                updated);
      }
    }
    chain.doFilter(request, response);
  }

  /** The same session's authentication with other authorities; its kind and principal stay. */
  private static AbstractAuthenticationToken withAuthorities(
      Authentication session, List<SimpleGrantedAuthority> authorities) {
    if (session instanceof OAuth2AuthenticationToken oidc) {
      return new OAuth2AuthenticationToken(
          oidc.getPrincipal(), authorities, oidc.getAuthorizedClientRegistrationId());
    }
    return UsernamePasswordAuthenticationToken.authenticated(
        session.getPrincipal(), null, authorities);
  }
}
