package io.kanbu.backup.gateway.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class OidcEnvironmentShortcutTest {

  private static final String REGISTRATION = "spring.security.oauth2.client.registration.oidc.";

  private static StandardEnvironment processed(Map<String, Object> given) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("given", given));
    new OidcEnvironmentShortcut().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void theShortcut_isSpelledOutAsTheStandardRegistration() {
    StandardEnvironment environment =
        processed(
            Map.of(
                "BACKUP_OIDC_ISSUER_URI", "https://login.example.com/realms/ops",
                "BACKUP_OIDC_CLIENT_ID", "kanbu",
                "BACKUP_OIDC_CLIENT_SECRET", "s3cret",
                "BACKUP_OIDC_DISPLAY_NAME", "Example SSO"));

    assertThat(environment.getProperty("spring.security.oauth2.client.provider.oidc.issuer-uri"))
        .isEqualTo("https://login.example.com/realms/ops");
    assertThat(environment.getProperty(REGISTRATION + "client-id")).isEqualTo("kanbu");
    assertThat(environment.getProperty(REGISTRATION + "client-secret")).isEqualTo("s3cret");
    assertThat(environment.getProperty(REGISTRATION + "client-name")).isEqualTo("Example SSO");
    assertThat(environment.getProperty(REGISTRATION + "scope")).isEqualTo("openid,profile,email");
    assertThat(environment.getProperty(REGISTRATION + "authorization-grant-type"))
        .isEqualTo("authorization_code");
    assertThat(environment.getProperty(REGISTRATION + "client-authentication-method")).isNull();
  }

  @Test
  void withoutASecret_theClientIsPublic_andTheDisplayNameDefaultsToTheIssuersHost() {
    StandardEnvironment environment =
        processed(
            Map.of(
                "BACKUP_OIDC_ISSUER_URI", "https://accounts.google.com",
                "BACKUP_OIDC_CLIENT_ID", "kanbu",
                "BACKUP_OIDC_SCOPES", "openid,email"));

    assertThat(environment.getProperty(REGISTRATION + "client-authentication-method"))
        .isEqualTo("none");
    assertThat(environment.getProperty(REGISTRATION + "client-secret")).isNull();
    assertThat(environment.getProperty(REGISTRATION + "client-name"))
        .isEqualTo("accounts.google.com");
    assertThat(environment.getProperty(REGISTRATION + "scope")).isEqualTo("openid,email");
  }

  @Test
  void explicitStandardProperties_winOverTheShortcut() {
    StandardEnvironment environment =
        processed(
            Map.of(
                "BACKUP_OIDC_ISSUER_URI",
                "https://login.example.com",
                "BACKUP_OIDC_CLIENT_ID",
                "kanbu",
                REGISTRATION + "scope",
                "openid,groups"));

    assertThat(environment.getProperty(REGISTRATION + "scope")).isEqualTo("openid,groups");
  }

  @Test
  void anIssuerWithoutAClientId_stopsTheStart_namingTheVariable() {
    assertThatThrownBy(
            () -> processed(Map.of("BACKUP_OIDC_ISSUER_URI", "https://login.example.com")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BACKUP_OIDC_CLIENT_ID is empty");
  }

  @Test
  void withoutAnyRegistration_nothingIsAdded_andTheSessionCookieStaysStrict() {
    StandardEnvironment environment = processed(Map.of("BACKUP_OIDC_ISSUER_URI", " "));

    assertThat(environment.getPropertySources().contains("kanbu-oidc-shortcut")).isFalse();
    assertThat(environment.getProperty(OidcEnvironmentShortcut.SAME_SITE_VARIABLE)).isNull();
  }

  @Test
  void withARegistration_theSessionCookieDefaultsToLax_unlessItIsSet() {
    Map<String, Object> standard =
        Map.of(
            "spring.security.oauth2.client.registration.corp.client-id", "kanbu",
            "spring.security.oauth2.client.provider.corp.issuer-uri", "https://corp.example");
    assertThat(processed(standard).getProperty(OidcEnvironmentShortcut.SAME_SITE_VARIABLE))
        .isEqualTo("lax");

    Map<String, Object> strict = new java.util.HashMap<>(standard);
    strict.put(OidcEnvironmentShortcut.SAME_SITE_VARIABLE, "strict");
    assertThat(processed(strict).getProperty(OidcEnvironmentShortcut.SAME_SITE_VARIABLE))
        .isEqualTo("strict");
  }
}
