package io.kanbu.backup.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request under {@code /api/} (the paths it is registered for) through only with the API
 * key; answers {@code 401} with an RFC 7807 problem otherwise. The trigger's health check stays
 * open, as in the original Kanbu deployment.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {

  /** Paths under {@code /api/} that need no key. */
  static final Set<String> OPEN_PATHS = Set.of("/api/backup/trigger/health");

  private final ApiKeyVerifier verifier;
  private final JsonMapper json;

  public ApiKeyFilter(ApiKeyVerifier verifier, JsonMapper json) {
    this.verifier = verifier;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // The registration maps this filter to /api/*. Compare the container's decoded, normalized
    // path, never the raw request URI, so that "//api/..." or "/api/./..." cannot slip past.
    String pathInfo = request.getPathInfo();
    String path = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    return OPEN_PATHS.contains(path);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String backupKey = request.getHeader(ApiKeyVerifier.BACKUP_KEY_HEADER);
    if (verifier.authenticates(authorization, backupKey)) {
      chain.doFilter(request, response);
      return;
    }
    String detail =
        authorization == null && backupKey == null
            ? "no API key given; send it as 'Authorization: Bearer <key>' or 'X-Backup-Key: <key>'"
                + " (the key is BACKUP_TRIGGER_API_KEY of the gateway)"
            : "the API key is wrong; send the gateway's BACKUP_TRIGGER_API_KEY as"
                + " 'Authorization: Bearer <key>' or 'X-Backup-Key: <key>'";
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "unauthorized");
    problem.put("status", HttpStatus.UNAUTHORIZED.value());
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(HttpStatus.UNAUTHORIZED.value());
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"kanbu-backup\"");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), problem);
  }
}
