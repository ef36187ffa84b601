package io.kanbu.backup.gateway.security.oidc;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Two settings that depend on whether OIDC login is configured, made before anything reads them:
 *
 * <ul>
 *   <li>The shortcut {@code BACKUP_OIDC_ISSUER_URI}, {@code BACKUP_OIDC_CLIENT_ID}, {@code
 *       BACKUP_OIDC_CLIENT_SECRET}, {@code BACKUP_OIDC_DISPLAY_NAME} and {@code BACKUP_OIDC_SCOPES}
 *       is spelled out as the standard client registration {@value #REGISTRATION_ID} ({@code
 *       spring.security.oauth2.client.registration.oidc.*} and {@code …provider.oidc.issuer-uri}).
 *       Standard properties given as well win over it.
 *   <li>With any registration, the session cookie defaults to {@code SameSite=Lax} instead of
 *       {@code Strict}: the provider sends the browser back cross-site, and a browser withholds
 *       {@code Strict} cookies from that whole redirect chain, which would lose the sign-in. An
 *       explicit {@code BACKUP_SESSION_COOKIE_SAME_SITE} is kept.
 * </ul>
 *
 * Both are added with the lowest precedence, so every explicitly given property wins.
 */
public final class OidcEnvironmentShortcut implements EnvironmentPostProcessor, Ordered {

  /**
   * The registration id of the shortcut: its redirect URI ends in {@code /login/oauth2/code/oidc}.
   */
  public static final String REGISTRATION_ID = "oidc";

  static final String SAME_SITE_VARIABLE = "BACKUP_SESSION_COOKIE_SAME_SITE";

  private static final String REGISTRATIONS = "spring.security.oauth2.client.registration";
  private static final String REGISTRATION = REGISTRATIONS + "." + REGISTRATION_ID + ".";
  private static final String PROVIDER =
      "spring.security.oauth2.client.provider." + REGISTRATION_ID;

  @Override
  public int getOrder() {
    // After the application's configuration files are loaded, so their properties count too.
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> shortcut = shortcut(environment);
    if (!shortcut.isEmpty()) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource("kanbu-oidc-shortcut", shortcut));
    }
    if (registrationsConfigured(environment) && !environment.containsProperty(SAME_SITE_VARIABLE)) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource(
                  "kanbu-oidc-session-cookie", Map.of(SAME_SITE_VARIABLE, "lax")));
    }
  }

  /** The standard properties that the shortcut variables stand for; empty without an issuer. */
  static Map<String, Object> shortcut(ConfigurableEnvironment environment) {
    String issuer = value(environment, "BACKUP_OIDC_ISSUER_URI");
    if (issuer.isEmpty()) {
      return Map.of();
    }
    String clientId = value(environment, "BACKUP_OIDC_CLIENT_ID");
    if (clientId.isEmpty()) {
      throw new IllegalStateException(
          "BACKUP_OIDC_ISSUER_URI is set, but BACKUP_OIDC_CLIENT_ID is empty; set the client id"
              + " the provider registered for the gateway, or unset BACKUP_OIDC_ISSUER_URI");
    }
    String displayName = value(environment, "BACKUP_OIDC_DISPLAY_NAME");
    String scopes = value(environment, "BACKUP_OIDC_SCOPES");
    String secret = value(environment, "BACKUP_OIDC_CLIENT_SECRET");
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(PROVIDER + ".issuer-uri", issuer);
    properties.put(REGISTRATION + "provider", REGISTRATION_ID);
    properties.put(REGISTRATION + "client-id", clientId);
    if (secret.isEmpty()) {
      // A public client: no secret, the flow is protected by PKCE instead.
      properties.put(REGISTRATION + "client-authentication-method", "none");
    } else {
      properties.put(REGISTRATION + "client-secret", secret);
    }
    properties.put(REGISTRATION + "authorization-grant-type", "authorization_code");
    properties.put(REGISTRATION + "scope", scopes.isEmpty() ? "openid,profile,email" : scopes);
    properties.put(
        REGISTRATION + "client-name", displayName.isEmpty() ? hostOf(issuer) : displayName);
    return properties;
  }

  private static boolean registrationsConfigured(ConfigurableEnvironment environment) {
    return Binder.get(environment)
        .bind(
            REGISTRATIONS, Bindable.mapOf(String.class, OAuth2ClientProperties.Registration.class))
        .map(registrations -> !registrations.isEmpty())
        .orElse(false);
  }

  private static String value(ConfigurableEnvironment environment, String name) {
    return environment.getProperty(name, "").strip();
  }

  private static String hostOf(String issuer) {
    try {
      String host = URI.create(issuer).getHost();
      return host == null ? issuer : host;
    } catch (IllegalArgumentException e) {
      return issuer;
    }
  }
}
