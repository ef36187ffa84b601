package io.kanbu.backup.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP client for the dashboard: keeps the session cookie, does not follow redirects
 * (so tests see them), and reads the CSRF token from the pages.
 */
public final class DashboardSession {

  private static final Pattern CSRF =
      Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|name=\"_csrf\" content=\"([^\"]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  public DashboardSession(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A form POST; {@code withCsrf} adds the token read from {@code csrfPage} first. */
  public HttpResponse<String> post(String path, Map<String, String> fields, boolean withCsrf) {
    Map<String, String> form = new LinkedHashMap<>(fields);
    if (withCsrf) {
      form.put("_csrf", csrfToken("/login".equals(path) ? "/login" : "/"));
    }
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Logs in; the answer is the login's redirect. */
  public HttpResponse<String> login(String username, String password) {
    return post("/login", Map.of("username", username, "password", password), true);
  }

  /** The CSRF token of a page. */
  public String csrfToken(String page) {
    HttpResponse<String> response = get(page);
    Matcher matcher = CSRF.matcher(response.body());
    if (!matcher.find()) {
      throw new AssertionError("no CSRF token on " + page + ": " + response.statusCode());
    }
    return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
