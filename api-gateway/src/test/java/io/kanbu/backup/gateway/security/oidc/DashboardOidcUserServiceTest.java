package io.kanbu.backup.gateway.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.DashboardUserRepository;
import io.kanbu.backup.gateway.access.OidcAccounts;
import io.kanbu.backup.gateway.access.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The checks between the provider's verified answer and the catalog, each without a provider: the
 * catalog (a stand-in repository here; {@code OidcLoginIT} uses the real one) is not touched for a
 * refused identity.
 */
class DashboardOidcUserServiceTest {

  private final DashboardUserRepository repository = mock(DashboardUserRepository.class);

  private DashboardOidcUserService service(
      boolean requireVerifiedEmail, Map<String, Object> claims) {
    OidcProperties properties =
        new OidcProperties(
            "groups",
            List.of("admins"),
            List.of(),
            List.of("staff"),
            requireVerifiedEmail,
            "preferred_username");
    Map<String, Object> all = new HashMap<>(claims);
    all.put("iss", "https://idp.example");
    all.put("sub", "subject-1");
    OidcIdToken token = new OidcIdToken("token", Instant.now(), Instant.now().plusSeconds(60), all);
    OidcUser provided = new DefaultOidcUser(List.of(), token);
    return new DashboardOidcUserService(
        request -> provided, properties, new OidcAccounts(repository, Clock.systemUTC()));
  }

  private static OidcUserRequest request() {
    ClientRegistration registration =
        ClientRegistration.withRegistrationId("oidc")
            .clientId("kanbu")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .authorizationUri("https://idp.example/authorize")
            .tokenUri("https://idp.example/token")
            .scope("openid")
            .build();
    OAuth2AccessToken accessToken =
        new OAuth2AccessToken(
            OAuth2AccessToken.TokenType.BEARER,
            "access",
            Instant.now(),
            Instant.now().plusSeconds(60));
    OidcIdToken idToken =
        new OidcIdToken(
            "token", Instant.now(), Instant.now().plusSeconds(60), Map.of("sub", "subject-1"));
    return new OidcUserRequest(registration, accessToken, idToken);
  }

  @Test
  void anUnverifiedEmail_isRefused_whenVerificationIsRequired_beforeTheCatalogIsTouched() {
    DashboardOidcUserService service =
        service(
            true,
            Map.of(
                "preferred_username", "ada", "groups", List.of("admins"), "email_verified", false));

    assertThatThrownBy(() -> service.loadUser(request()))
        .isInstanceOfSatisfying(
            OidcSignInRefused.class,
            refused -> {
              assertThat(refused.reason()).isEqualTo(OidcSignInRefused.Reason.EMAIL_NOT_VERIFIED);
              assertThat(refused.username()).isEqualTo("ada");
            })
        .hasMessageContaining("BACKUP_OIDC_REQUIRE_VERIFIED_EMAIL");
    verifyNoInteractions(repository);
  }

  @Test
  void noListedGroup_isRefused_namingTheClaimAndItsValues() {
    DashboardOidcUserService service =
        service(false, Map.of("preferred_username", "eve", "groups", List.of("marketing")));

    assertThatThrownBy(() -> service.loadUser(request()))
        .isInstanceOfSatisfying(
            OidcSignInRefused.class,
            refused -> assertThat(refused.reason()).isEqualTo(OidcSignInRefused.Reason.NO_ROLE))
        .hasMessageContaining("'groups'")
        .hasMessageContaining("[marketing]");
    verifyNoInteractions(repository);
  }

  @Test
  void aVerifiedIdentity_withoutAUserName_isNamedByItsEmail_andSignedInWithItsRole() {
    when(repository.findByOidcIssuerAndOidcSubject("https://idp.example", "subject-1"))
        .thenReturn(Optional.empty());
    when(repository.findByUsername(any())).thenReturn(Optional.empty());
    when(repository.save(any())).thenAnswer(call -> call.getArgument(0, DashboardUser.class));
    DashboardOidcUserService service =
        service(
            true,
            Map.of(
                "email",
                "Grace.Hopper@Example.com",
                "email_verified",
                true,
                "groups",
                List.of("staff")));

    OidcUser user = service.loadUser(request());

    assertThat(user.getName()).isEqualTo("grace.hopper@example.com");
    assertThat(user)
        .isInstanceOfSatisfying(
            DashboardOidcUser.class, u -> assertThat(u.role()).isEqualTo(Role.VIEWER));
    assertThat(user.getAuthorities())
        .extracting(Object::toString)
        .containsExactly(Role.VIEWER.authority());
  }
}
