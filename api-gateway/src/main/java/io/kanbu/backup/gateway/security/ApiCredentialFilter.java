package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.ApiTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API requests by {@code Authorization: Bearer <credential>} or {@code X-Backup-Key:
 * <credential>}: the service key ({@code BACKUP_TRIGGER_API_KEY}, compared in constant time) acts
 * as {@code api-key} with {@link ApiCredentialAuthentication#SERVICE_KEY_ROLE}; a personal token
 * ({@code kbt_…}) acts as its owner with its role. A request without a credential, or with a wrong
 * one, stays anonymous; the access policy then answers 401, naming what was wrong.
 */
public final class ApiCredentialFilter extends OncePerRequestFilter {

  /** Request attribute set when a credential was given but not accepted. */
  static final String REJECTED_ATTRIBUTE = ApiCredentialFilter.class.getName() + ".rejected";

  private final ApiKeyVerifier serviceKey;
  private final ApiTokens tokens;

  public ApiCredentialFilter(ApiKeyVerifier serviceKey, ApiTokens tokens) {
    this.serviceKey = serviceKey;
    this.tokens = tokens;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String backupKey = request.getHeader(ApiKeyVerifier.BACKUP_KEY_HEADER);
    if (authorization != null || backupKey != null) {
      ApiCredentialAuthentication authentication = authenticate(authorization, backupKey);
      if (authentication != null) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
      } else {
        request.setAttribute(REJECTED_ATTRIBUTE, Boolean.TRUE);
      }
    }
    chain.doFilter(request, response);
  }

  private @Nullable ApiCredentialAuthentication authenticate(
      @Nullable String authorization, @Nullable String backupKey) {
    if (serviceKey.authenticates(authorization, backupKey)) {
      return ApiCredentialAuthentication.serviceKey();
    }
    String presented = ApiKeyVerifier.bearerToken(authorization);
    if (presented == null && backupKey != null) {
      presented = backupKey.strip();
    }
    if (presented == null || !presented.startsWith(ApiTokens.PREFIX)) {
      return null;
    }
    return tokens
        .authenticate(presented)
        .map(
            token ->
                ApiCredentialAuthentication.token(
                    token.getOwner().getUsername(), token.effectiveRole()))
        .orElse(null);
  }
}
