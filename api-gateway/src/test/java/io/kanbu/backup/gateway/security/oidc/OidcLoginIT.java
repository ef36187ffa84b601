package io.kanbu.backup.gateway.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.access.AccessException;
import io.kanbu.backup.gateway.access.ApiTokens;
import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.DashboardUserRepository;
import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.access.UserAccounts;
import io.kanbu.backup.gateway.support.DashboardSession;
import io.kanbu.backup.gateway.support.FakeOidcProvider;
import io.kanbu.backup.gateway.support.FakeOidcProvider.SignIn;
import io.kanbu.backup.gateway.support.FakeOidcProvider.Tamper;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.gateway.support.OpenSessionChecks;
import io.kanbu.backup.testing.ExternalServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in through an OpenID Connect provider, on a catalog of its own: the real authorization-code
 * flow (gateway → {@link FakeOidcProvider} → callback → dashboard) driven by a cookie-keeping HTTP
 * client, with the provider's groups mapped to roles, refusals explained and audited, and forged or
 * replayed ID tokens refused. The provider is configured with the {@code BACKUP_OIDC_*} variables.
 */
@ExtendWith(ExternalServices.class)
// Its own catalog and provider, used by no other class: close its context afterwards.
@DirtiesContext
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcLoginIT {

  private static final String REGISTRATION = OidcEnvironmentShortcut.REGISTRATION_ID;
  private static final FakeOidcProvider PROVIDER = FakeOidcProvider.start();

  /**
   * The provider through the {@code BACKUP_OIDC_*} shortcut, as an operator sets it. System
   * properties, because the shortcut is read before the context exists (dynamic properties come too
   * late for it); the context is made after {@code @BeforeAll} and closed after this class.
   */
  private static final Map<String, String> SHORTCUT =
      Map.of(
          "BACKUP_OIDC_ISSUER_URI",
          PROVIDER.issuer(),
          "BACKUP_OIDC_CLIENT_ID",
          FakeOidcProvider.CLIENT_ID,
          "BACKUP_OIDC_CLIENT_SECRET",
          FakeOidcProvider.CLIENT_SECRET,
          "BACKUP_OIDC_DISPLAY_NAME",
          "Test IdP");

  @BeforeAll
  static void configureTheProvider() {
    SHORTCUT.forEach(System::setProperty);
  }

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, GatewayTestEnvironment.MAIN_DATABASE + "_oidc");
    registry.add("kanbu.oidc.admin-groups", () -> "kanbu-admins");
    registry.add("kanbu.oidc.operator-groups", () -> "kanbu-operators, ops-oncall");
    registry.add("kanbu.oidc.viewer-groups", () -> "kanbu-viewers");
  }

  @AfterAll
  static void stopProvider() {
    SHORTCUT.keySet().forEach(System::clearProperty);
    PROVIDER.close();
  }

  @LocalServerPort int port;
  @Autowired DashboardUserRepository users;
  @Autowired UserAccounts accounts;
  @Autowired ApiTokens tokens;
  @Autowired JdbcTemplate jdbc;

  /**
   * Clicks "Sign in with Test IdP" and follows the redirects through the provider back to the
   * gateway's callback; answers where the callback sends the browser.
   */
  private String signIn(DashboardSession session, SignIn who) {
    PROVIDER.nextSignIn(who);
    String loginPage = session.get("/login").body();
    assertThat(loginPage)
        .contains("Sign in with Test IdP")
        .contains("/oauth2/authorization/" + REGISTRATION);
    URI next = URI.create(base() + "/oauth2/authorization/" + REGISTRATION);
    for (int hop = 0; hop < 5; hop++) {
      HttpResponse<String> response = session.send(HttpRequest.newBuilder(next).GET());
      assertThat(response.statusCode()).as("answer of " + next).isEqualTo(302);
      URI location = next.resolve(response.headers().firstValue("Location").orElseThrow());
      if (next.getPath().startsWith("/login/oauth2/code/")) {
        return location.getRawPath()
            + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
      }
      next = location;
    }
    throw new AssertionError("the sign-in never reached the gateway's callback");
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Map<String, Object> lastLoginAudit(String actor) {
    return jdbc.queryForMap(
        "SELECT actor, authenticated_by, outcome, detail FROM audit_event"
            + " WHERE action = 'login' AND actor = ? ORDER BY id DESC LIMIT 1",
        actor);
  }

  @Test
  void theSessionCookie_isLax_soThatTheRedirectBackFromTheProviderCarriesIt() {
    HttpResponse<String> start =
        new DashboardSession(port).get("/oauth2/authorization/" + REGISTRATION);

    assertThat(start.statusCode()).isEqualTo(302);
    assertThat(start.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).startsWith(PROVIDER.issuer() + "/authorize?"));
    assertThat(start.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("KANBU_SESSION=").contains("SameSite=Lax"));
  }

  @Test
  void adminGroup_passesAdminPages_viewerGroup_isForbiddenThem_andBothSignInsAreAudited() {
    String viewerName = name("vera");
    DashboardSession viewer = new DashboardSession(port);
    assertThat(signIn(viewer, SignIn.of(viewerName, List.of("kanbu-viewers")))).isEqualTo("/");
    assertThat(viewer.get("/jobs").statusCode()).isEqualTo(200);
    assertThat(viewer.get("/users").statusCode()).isEqualTo(403);

    String adminName = name("ada");
    DashboardSession admin = new DashboardSession(port);
    // Highest role wins: a viewer group beside the admin group does not lower it.
    assertThat(signIn(admin, SignIn.of(adminName, List.of("kanbu-viewers", "kanbu-admins"))))
        .isEqualTo("/");
    HttpResponse<String> usersPage = admin.get("/users");
    assertThat(usersPage.statusCode()).isEqualTo(200);
    assertThat(usersPage.body()).contains(viewerName).contains(adminName).contains("(OIDC)");

    DashboardUser stored = users.findByUsername(adminName).orElseThrow();
    assertThat(stored.getRole()).isEqualTo(Role.ADMIN);
    assertThat(stored.isOidc()).isTrue();
    assertThat(stored.getOidcIssuer()).isEqualTo(PROVIDER.issuer());
    assertThat(stored.getPasswordHash()).isNull();
    assertThat(lastLoginAudit(adminName))
        .containsEntry("authenticated_by", "oidc")
        .containsEntry("outcome", "SUCCESS")
        .containsEntry("detail", "role ADMIN");
    assertThat(
            jdbc.queryForMap(
                "SELECT authenticated_by, http_status FROM audit_event"
                    + " WHERE actor = ? AND action = 'GET /users' ORDER BY id DESC LIMIT 1",
                viewerName))
        .as("the viewer's refused page, audited with how they signed in")
        .containsEntry("authenticated_by", "oidc")
        .containsEntry("http_status", 403);
  }

  @Test
  void theRole_isTakenFromTheClaimsAtEverySignIn_forTheSameSubject() {
    SignIn operator = SignIn.of(name("otto"), List.of("ops-oncall"));
    String username = operator.claims().get("preferred_username").toString();
    assertThat(signIn(new DashboardSession(port), operator)).isEqualTo("/");
    assertThat(users.findByUsername(username).orElseThrow().getRole()).isEqualTo(Role.OPERATOR);

    DashboardSession later = new DashboardSession(port);
    assertThat(signIn(later, operator.inGroups(List.of("kanbu-viewers")))).isEqualTo("/");
    assertThat(users.findByUsername(username).orElseThrow().getRole()).isEqualTo(Role.VIEWER);
    assertThat(later.get("/jobs").statusCode()).isEqualTo(200);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM dashboard_user WHERE oidc_subject = ?",
                Long.class,
                operator.subject()))
        .as("one user per identity, however often it signs in")
        .isEqualTo(1L);
  }

  @Test
  void anIdentityInNoListedGroup_isRefused_withTheReasonOnTheLoginPage_andAudited() {
    String username = name("mallory");
    DashboardSession session = new DashboardSession(port);

    String landing = signIn(session, SignIn.of(username, List.of("marketing")));

    assertThat(landing).isEqualTo("/login?error=oidc-no-role");
    assertThat(session.get(landing).body()).contains("none of your groups gives a role");
    assertThat(session.get("/jobs").statusCode()).as("not signed in").isEqualTo(302);
    assertThat(users.findByUsername(username)).as("no user for a refused identity").isEmpty();
    Map<String, Object> audit = lastLoginAudit(username);
    assertThat(audit).containsEntry("authenticated_by", "oidc").containsEntry("outcome", "DENIED");
    assertThat(audit.get("detail").toString()).contains("'groups'").contains("marketing");
  }

  @Test
  void aDisabledUser_isRefused_thoughTheProviderVouchesForThem() {
    SignIn admin = SignIn.of(name("dora"), List.of("kanbu-admins"));
    String username = admin.claims().get("preferred_username").toString();
    assertThat(signIn(new DashboardSession(port), admin)).isEqualTo("/");
    accounts.changeEnabled(users.findByUsername(username).orElseThrow().getId(), false);

    DashboardSession again = new DashboardSession(port);
    String landing = signIn(again, admin);

    assertThat(landing).isEqualTo("/login?error=disabled");
    assertThat(again.get(landing).body()).contains("This user is disabled");
    assertThat(again.get("/jobs").statusCode()).isEqualTo(302);
    assertThat(lastLoginAudit(username))
        .containsEntry("outcome", "DENIED")
        .hasEntrySatisfying("detail", d -> assertThat(d.toString()).contains("disabled"));
  }

  @Test
  void aForgedSignature_aForeignIssuer_andAReplayedNonce_areRefused_andAudited() {
    Map<Tamper, String> expectedError =
        Map.of(
            Tamper.FOREIGN_KEY, "invalid_id_token",
            Tamper.WRONG_ISSUER, "invalid_id_token",
            Tamper.WRONG_NONCE, "invalid_nonce");
    for (Map.Entry<Tamper, String> each : expectedError.entrySet()) {
      SignIn forged = SignIn.of(name("eve"), List.of("kanbu-admins")).tampered(each.getKey());
      DashboardSession session = new DashboardSession(port);
      long auditBefore = maxAuditId();

      String landing = signIn(session, forged);

      assertThat(landing).as(each.getKey().name()).isEqualTo("/login?error=oidc");
      assertThat(session.get(landing).body()).contains("could not be verified");
      assertThat(session.get("/users").statusCode()).as(each.getKey().name()).isEqualTo(302);
      assertThat(
              jdbc.queryForObject(
                  "SELECT count(*) FROM dashboard_user WHERE oidc_subject = ?",
                  Long.class,
                  forged.subject()))
          .isZero();
      Map<String, Object> audit =
          jdbc.queryForMap(
              "SELECT actor, authenticated_by, outcome, detail FROM audit_event"
                  + " WHERE action = 'login' AND id > ? ORDER BY id DESC LIMIT 1",
              auditBefore);
      assertThat(audit)
          .as(each.getKey().name())
          .containsEntry("actor", "anonymous")
          .containsEntry("authenticated_by", "oidc")
          .containsEntry("outcome", "FAILED");
      assertThat(audit.get("detail").toString()).as(each.getKey().name()).contains(each.getValue());
    }
  }

  @Test
  void aNameTakenByALocalUser_isNotHandedToTheIdentity() {
    String username = name("carol");
    accounts.create(username, "a long enough password", Role.VIEWER, "test");

    String landing =
        signIn(
            new DashboardSession(port), SignIn.of(username.toUpperCase(), List.of("kanbu-admins")));

    assertThat(landing).isEqualTo("/login?error=oidc-name-taken");
    DashboardUser local = users.findByUsername(username).orElseThrow();
    assertThat(local.isOidc()).isFalse();
    assertThat(local.getRole()).as("the local user keeps its role").isEqualTo(Role.VIEWER);
  }

  @Test
  void anOidcUser_hasNoPassword_butTokensAndTheUsersPageWorkForItAsForLocalUsers() {
    SignIn operator = SignIn.of(name("tom"), List.of("kanbu-operators"));
    String username = operator.claims().get("preferred_username").toString();
    assertThat(signIn(new DashboardSession(port), operator)).isEqualTo("/");
    DashboardUser user = users.findByUsername(username).orElseThrow();

    HttpResponse<String> passwordLogin =
        new DashboardSession(port).login(username, "any password at all, long enough");
    assertThat(passwordLogin.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error=bad"));
    assertThatThrownBy(() -> accounts.changePassword(user.getId(), "a long enough password"))
        .isInstanceOf(AccessException.Conflict.class)
        .hasMessageContaining("has no password");

    String token = tokens.issue(user.getId(), "ci", Role.OPERATOR, null).secret();
    GatewayClient client = new GatewayClient(port);
    assertThat(
            client
                .send(client.request("/api/v1/jobs").header("Authorization", "Bearer " + token))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            client
                .send(client.request("/api/v1/users").header("Authorization", "Bearer " + token))
                .statusCode())
        .as("at most the owner's role")
        .isEqualTo(403);
  }

  @Test
  void aRoleChangedOrAUserDisabled_inTheDashboard_reachesAnOpenOidcSessionAtItsNextRequest() {
    SignIn admin = SignIn.of(name("rita"), List.of("kanbu-admins"));
    String username = admin.claims().get("preferred_username").toString();
    DashboardSession session = new DashboardSession(port);
    assertThat(signIn(session, admin)).isEqualTo("/");

    OpenSessionChecks.roleChangeAndDisablingReachTheSessionAtItsNextRequest(
        session, accounts, users.findByUsername(username).orElseThrow().getId());
  }

  private long maxAuditId() {
    Long max = jdbc.queryForObject("SELECT max(id) FROM audit_event", Long.class);
    return max == null ? 0 : max;
  }
}
