package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.access.OidcAccounts;
import io.kanbu.backup.gateway.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcScopes;

/**
 * Sign-in through the configured OIDC providers, beside the password form: the links the login page
 * shows, and the part of the dashboard's filter chain that runs the authorization-code flow ({@code
 * /oauth2/authorization/{registrationId}} → provider → {@code
 * /login/oauth2/code/{registrationId}}). Made only when a client registration is configured; its
 * configuration is checked when it is made, so a gateway nobody could sign in to does not start.
 */
public final class OidcLogin {

  /** A "Sign in with …" link of the login page. */
  public record Link(String name, String href) {}

  private final List<Link> links;
  private final DashboardOidcUserService users;
  private final OidcLoginOutcomes outcomes;

  OidcLogin(
      ClientRegistrationRepository registrations,
      OidcProperties properties,
      OidcAccounts accounts,
      AuditLog auditLog) {
    if (!properties.grantsAnyRole()) {
      throw new IllegalStateException(
          "OIDC login is configured, but BACKUP_OIDC_ADMIN_GROUPS, BACKUP_OIDC_OPERATOR_GROUPS"
              + " and BACKUP_OIDC_VIEWER_GROUPS are all empty, so nobody could sign in; list the"
              + " values of the claim '"
              + properties.rolesClaim()
              + "' (BACKUP_OIDC_ROLES_CLAIM) that give each role");
    }
    this.links = checkedLinks(registrations);
    this.users = new DashboardOidcUserService(properties, accounts);
    this.outcomes = new OidcLoginOutcomes(auditLog);
  }

  /** The providers to offer on the login page, in the order they are configured. */
  public List<Link> links() {
    return links;
  }

  /** Adds the sign-in through the providers to the dashboard's filter chain. */
  public void configure(HttpSecurity http) throws Exception {
    http.oauth2Login(
        login ->
            login
                // The login page offers both ways in; without it a single provider would be
                // chosen for everyone who is not signed in.
                .loginPage("/login")
                // The provider's access token is not used afterwards: kept only in the session.
                .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
                .userInfoEndpoint(
                    endpoint ->
                        endpoint
                            .oidcUserService(users)
                            .userService(
                                request -> {
                                  throw new OAuth2AuthenticationException(
                                      new OAuth2Error(
                                          "invalid_request",
                                          "registration '"
                                              + request.getClientRegistration().getRegistrationId()
                                              + "' is not OpenID Connect",
                                          null));
                                }))
                .successHandler(outcomes)
                .failureHandler(outcomes));
  }

  private static List<Link> checkedLinks(ClientRegistrationRepository registrations) {
    List<Link> links = new ArrayList<>();
    if (registrations instanceof Iterable<?> all) {
      for (Object each : all) {
        ClientRegistration registration = (ClientRegistration) each;
        check(registration);
        links.add(
            new Link(
                registration.getClientName(),
                "/oauth2/authorization/" + registration.getRegistrationId()));
      }
    }
    return List.copyOf(links);
  }

  private static void check(ClientRegistration registration) {
    String prefix =
        "spring.security.oauth2.client.registration." + registration.getRegistrationId();
    if (!AuthorizationGrantType.AUTHORIZATION_CODE.equals(
        registration.getAuthorizationGrantType())) {
      throw new IllegalStateException(
          "the OIDC client registration '"
              + registration.getRegistrationId()
              + "' uses the grant type '"
              + registration.getAuthorizationGrantType().getValue()
              + "'; the dashboard signs in with 'authorization_code' only ("
              + prefix
              + ".authorization-grant-type)");
    }
    if (!registration.getScopes().contains(OidcScopes.OPENID)) {
      throw new IllegalStateException(
          "the OIDC client registration '"
              + registration.getRegistrationId()
              + "' does not ask for the scope 'openid' ("
              + prefix
              + ".scope is "
              + registration.getScopes()
              + "); the dashboard signs in with OpenID Connect only: add 'openid'");
    }
  }
}
