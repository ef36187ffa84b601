package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.OidcAccounts;
import io.kanbu.backup.gateway.access.OidcIdentity;
import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.security.oidc.OidcSignInRefused.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns an identity the provider vouched for (its ID token already checked: signature, issuer,
 * audience, expiry, nonce) into a dashboard user: checks the e-mail requirement, maps the claims to
 * a role, and signs the identity's user in through {@link OidcAccounts}, which refuses a disabled
 * user whatever the provider says.
 */
final class DashboardOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

  private final OAuth2UserService<OidcUserRequest, OidcUser> provider;
  private final OidcProperties properties;
  private final OidcRoleMapper roles;
  private final OidcAccounts accounts;

  DashboardOidcUserService(OidcProperties properties, OidcAccounts accounts) {
    this(new OidcUserService(), properties, accounts);
  }

  DashboardOidcUserService(
      OAuth2UserService<OidcUserRequest, OidcUser> provider,
      OidcProperties properties,
      OidcAccounts accounts) {
    this.provider = provider;
    this.properties = properties;
    this.roles = new OidcRoleMapper(properties);
    this.accounts = accounts;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcUser provided = provider.loadUser(request);
    OidcIdentity identity =
        new OidcIdentity(
            provided.getIdToken().getIssuer().toString(),
            provided.getSubject(),
            OidcIdentity.usernameOf(providedName(provided)));
    if (properties.requireVerifiedEmail() && !Boolean.TRUE.equals(provided.getEmailVerified())) {
      throw new OidcSignInRefused(
          Reason.EMAIL_NOT_VERIFIED,
          identity.username(),
          "the provider does not say that the e-mail address of '"
              + identity.username()
              + "' is verified (BACKUP_OIDC_REQUIRE_VERIFIED_EMAIL is on); verify it there");
    }
    Role role =
        roles
            .roleOf(provided.getClaims())
            .orElseThrow(
                () ->
                    new OidcSignInRefused(
                        Reason.NO_ROLE,
                        identity.username(),
                        noRoleMessage(identity, roles.claimValues(provided.getClaims()))));
    try {
      DashboardUser user = accounts.signIn(identity, role);
      return new DashboardOidcUser(provided, user.getUsername(), user.getRole());
    } catch (OidcAccounts.SignInRefused e) {
      Reason reason =
          e.refusal() == OidcAccounts.Refusal.DISABLED ? Reason.DISABLED : Reason.NAME_TAKEN;
      throw new OidcSignInRefused(reason, e.username(), e.getMessage());
    }
  }

  /** The name claim, else the e-mail address, else the subject: the provider always gives one. */
  private String providedName(OidcUser provided) {
    return Stream.of(properties.usernameClaim(), "email", "sub")
        .map(provided::getClaimAsString)
        .filter(name -> name != null && !name.isBlank())
        .findFirst()
        .orElse(provided.getSubject());
  }

  private String noRoleMessage(OidcIdentity identity, List<String> values) {
    return "none of the values of the claim '"
        + properties.rolesClaim()
        + "' of '"
        + identity.username()
        + "' "
        + (values.isEmpty() ? "(it has none)" : values.toString())
        + " is listed in BACKUP_OIDC_ADMIN_GROUPS, BACKUP_OIDC_OPERATOR_GROUPS or"
        + " BACKUP_OIDC_VIEWER_GROUPS; add the user to a group that is, or list one of theirs";
  }
}
