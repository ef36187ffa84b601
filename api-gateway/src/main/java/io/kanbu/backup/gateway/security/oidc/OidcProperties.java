package io.kanbu.backup.gateway.security.oidc;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may sign in through an OIDC provider, and with which role (prefix {@code kanbu.oidc}). Read
 * only when a client registration is configured ({@code BACKUP_OIDC_ISSUER_URI} or {@code
 * spring.security.oauth2.client.registration.*}).
 *
 * @param rolesClaim {@code BACKUP_OIDC_ROLES_CLAIM}: the claim of the ID token (or of the userinfo
 *     answer) that lists the user's groups or roles, default {@code groups}; a dotted path reaches
 *     into an object ({@code realm_access.roles}); a claim holding one string counts as a list of
 *     that one value ({@code email}, {@code hd})
 * @param adminGroups {@code BACKUP_OIDC_ADMIN_GROUPS}: values of that claim that make a user ADMIN
 *     (comma-separated, compared exactly)
 * @param operatorGroups {@code BACKUP_OIDC_OPERATOR_GROUPS}: values that make a user OPERATOR
 * @param viewerGroups {@code BACKUP_OIDC_VIEWER_GROUPS}: values that make a user VIEWER; a user
 *     whose values are in none of the three lists is refused
 * @param requireVerifiedEmail {@code BACKUP_OIDC_REQUIRE_VERIFIED_EMAIL}: refuse users whose {@code
 *     email_verified} claim is not {@code true}
 * @param usernameClaim {@code BACKUP_OIDC_USERNAME_CLAIM}: the claim a new user's dashboard name is
 *     taken from, default {@code preferred_username}; without it {@code email}, then {@code sub}
 */
@ConfigurationProperties("kanbu.oidc")
public record OidcProperties(
    @DefaultValue("groups") String rolesClaim,
    @DefaultValue List<String> adminGroups,
    @DefaultValue List<String> operatorGroups,
    @DefaultValue List<String> viewerGroups,
    @DefaultValue("false") boolean requireVerifiedEmail,
    @DefaultValue("preferred_username") String usernameClaim) {

  public OidcProperties {
    rolesClaim = required(rolesClaim, "BACKUP_OIDC_ROLES_CLAIM", "groups");
    usernameClaim = required(usernameClaim, "BACKUP_OIDC_USERNAME_CLAIM", "preferred_username");
    adminGroups = cleaned(adminGroups);
    operatorGroups = cleaned(operatorGroups);
    viewerGroups = cleaned(viewerGroups);
  }

  /** Whether some claim value gives a role at all; without one nobody could sign in. */
  public boolean grantsAnyRole() {
    return !adminGroups.isEmpty() || !operatorGroups.isEmpty() || !viewerGroups.isEmpty();
  }

  private static String required(String value, String variable, String example) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          variable + " is empty; name a claim of the ID token, such as '" + example + "'");
    }
    return value.strip();
  }

  private static List<String> cleaned(List<String> values) {
    return values.stream().map(String::strip).filter(v -> !v.isEmpty()).distinct().toList();
  }
}
