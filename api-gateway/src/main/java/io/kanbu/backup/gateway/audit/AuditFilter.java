package io.kanbu.backup.gateway.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every request that changes something (any method but GET, HEAD and OPTIONS), every
 * download, and every refused request, after it is answered: the caller, the method and route
 * ({@code POST /api/v1/backups/{id}/restore}), the path variables as the target, the client's
 * address and the outcome from the status. It sits in the security chain after authentication and
 * before authorization, so refused requests are recorded with who tried.
 */
public final class AuditFilter extends OncePerRequestFilter {

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  /**
   * Request attribute a page sets when its action failed although it answers with a redirect (the
   * error is shown on the next page): the audit records {@code FAILED} with this detail.
   */
  public static final String FAILURE_ATTRIBUTE = AuditFilter.class.getName() + ".failure";

  private final AuditLog auditLog;

  public AuditFilter(AuditLog auditLog) {
    this.auditLog = auditLog;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Read before the chain: the security context is cleared once the request is answered.
    AuditedCaller before = AuditedCaller.of(SecurityContextHolder.getContext().getAuthentication());
    int status = 500;
    try {
      chain.doFilter(request, response);
      status = response.getStatus();
    } finally {
      if (isAudited(request, status)) {
        AuditedCaller caller =
            before.actor().equals(AuditedCaller.ANONYMOUS)
                ? AuditedCaller.of(SecurityContextHolder.getContext().getAuthentication())
                : before;
        Object failure = request.getAttribute(FAILURE_ATTRIBUTE);
        auditLog.record(
            new AuditRecord(
                caller.actor(),
                caller.authenticatedBy(),
                request.getMethod() + " " + route(request),
                target(request),
                request.getRemoteAddr(),
                failure == null ? AuditOutcome.ofStatus(status) : AuditOutcome.FAILED,
                status,
                failure == null ? null : failure.toString()));
      }
    }
  }

  private static boolean isAudited(HttpServletRequest request, int status) {
    return !READ_METHODS.contains(request.getMethod())
        || status == 403
        || path(request).endsWith("/download");
  }

  /** The matched route, or the path when no handler matched (refused before dispatch). */
  private static String route(HttpServletRequest request) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    return pattern != null ? pattern.toString() : path(request);
  }

  private static @Nullable String target(HttpServletRequest request) {
    Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (variables instanceof Map<?, ?> map && !map.isEmpty()) {
      return new TreeMap<>(map)
          .entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(", "));
    }
    return null;
  }

  private static String path(HttpServletRequest request) {
    String pathInfo = request.getPathInfo();
    return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
  }
}
