package io.kanbu.backup.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers refused API requests with an RFC 7807 problem: {@code 401} when the caller proved nothing
 * (saying how to authenticate), {@code 403} when their role is too low (saying which is needed).
 */
final class ApiProblemResponder implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final JsonMapper json;

  ApiProblemResponder(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(
      HttpServletRequest request,
      HttpServletResponse response,
      AuthenticationException authException)
      throws IOException {
    boolean rejected = request.getAttribute(ApiCredentialFilter.REJECTED_ATTRIBUTE) != null;
    String detail =
        rejected
            ? "the API key or token is wrong, revoked or expired; send a valid personal token"
                + " (created by an administrator under Users & tokens) or the gateway's"
                + " BACKUP_TRIGGER_API_KEY as 'Authorization: Bearer <key>' or 'X-Backup-Key:"
                + " <key>'"
            : "no API key given; send a personal token or the gateway's BACKUP_TRIGGER_API_KEY"
                + " as 'Authorization: Bearer <key>' or 'X-Backup-Key: <key>'";
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"kanbu-backup\"");
    write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
  }

  @Override
  public void handle(
      HttpServletRequest request,
      HttpServletResponse response,
      org.springframework.security.access.AccessDeniedException accessDeniedException)
      throws IOException {
    String required =
        AccessPolicy.requiredRole(request.getMethod(), PolicyAuthorizationManager.path(request))
            .map(Enum::name)
            .orElse("a higher role");
    write(
        request,
        response,
        HttpStatus.FORBIDDEN,
        "forbidden",
        "this needs the role "
            + required
            + "; ask an administrator for a user or token with that role");
  }

  private void write(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String title,
      String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status.value());
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), problem);
  }
}
