package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.Role;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one place that says which role a request needs, for the API and the pages alike: reading
 * needs {@link Role#VIEWER}, changing needs {@link Role#OPERATOR}, and downloads, restores,
 * deletions of backups, pins, rekeying, retention, users, tokens and the audit log need {@link
 * Role#ADMIN}. A route not named here falls under the read/change rule, so a new endpoint is
 * guarded from the start.
 */
public final class AccessPolicy {

  private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  /** Open to everyone: the login page, static assets, health, metrics and the API description. */
  private static final List<PathPattern> PUBLIC =
      patterns(
          "/login",
          "/assets/**",
          "/webjars/**",
          "/favicon.ico",
          "/error",
          "/api/backup/trigger/health",
          "/actuator/health",
          "/actuator/health/**",
          "/actuator/prometheus",
          "/v3/api-docs",
          "/v3/api-docs/**");

  /** Admin only, whatever the method. */
  private static final List<PathPattern> ADMIN_ALWAYS =
      patterns(
          "/api/v1/users/**",
          "/api/v1/tokens/**",
          "/api/v1/audit/**",
          "/users/**",
          "/tokens/**",
          "/audit/**",
          "/restore/**",
          "/api/v1/backups/*/download",
          "/backups/*/download",
          // the confirmation page of a delete shows what an admin is about to lose
          "/backups/*/delete");

  /** Admin only when changing something. */
  private static final List<PathPattern> ADMIN_TO_CHANGE =
      patterns(
          "/api/v1/backups/*/restore",
          "/api/v1/backups/*/restore-source",
          "/api/v1/backups/*/pin",
          "/api/v1/backups/rekey",
          "/api/v1/backups/*/rekey",
          "/api/v1/retention/**",
          "/backups/*/pin",
          "/backups/*/unpin",
          "/retention/**");

  /**
   * Admin only for {@code DELETE}: deleting one backup ({@code POST /api/v1/backups/verify} and
   * {@code /rescan} share the pattern and stay with operators).
   */
  private static final List<PathPattern> ADMIN_TO_DELETE = patterns("/api/v1/backups/*");

  /** Operators and above, whatever the method (the MCP server acts for an agent). */
  private static final List<PathPattern> OPERATOR_ALWAYS = patterns("/mcp", "/mcp/**");

  private AccessPolicy() {}

  /**
   * The role a request needs.
   *
   * @param method the HTTP method
   * @param path the request path inside the application, decoded and normalized
   * @return the role, or empty when the route is open to everyone
   */
  public static Optional<Role> requiredRole(String method, String path) {
    PathContainer container = PathContainer.parsePath(path);
    if (matches(PUBLIC, container)) {
      return Optional.empty();
    }
    if (matches(ADMIN_ALWAYS, container)) {
      return Optional.of(Role.ADMIN);
    }
    boolean reading = READ_METHODS.contains(method.toUpperCase(java.util.Locale.ROOT));
    if (!reading && matches(ADMIN_TO_CHANGE, container)) {
      return Optional.of(Role.ADMIN);
    }
    if ("DELETE".equalsIgnoreCase(method) && matches(ADMIN_TO_DELETE, container)) {
      return Optional.of(Role.ADMIN);
    }
    if (matches(OPERATOR_ALWAYS, container)) {
      return Optional.of(Role.OPERATOR);
    }
    return Optional.of(reading ? Role.VIEWER : Role.OPERATOR);
  }

  private static boolean matches(List<PathPattern> patterns, PathContainer path) {
    return patterns.stream().anyMatch(p -> p.matches(path));
  }

  private static List<PathPattern> patterns(String... values) {
    return java.util.Arrays.stream(values).map(PARSER::parse).toList();
  }
}
