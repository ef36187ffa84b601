package io.kanbu.backup.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.access.ApiTokens;
import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.access.UserAccounts;
import io.kanbu.backup.gateway.support.DashboardSession;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.gateway.support.OpenSessionChecks;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's doors, tried against the real catalog: every route read from the handler mapping
 * without a credential, with each role's token, the login form with and without CSRF, the lockout,
 * and tokens kept hashed and shown once.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT extends GatewayIntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping handlerMapping;

  @Autowired UserAccounts accounts;
  @Autowired ApiTokens tokens;
  @Autowired JdbcTemplate jdbc;

  GatewayClient client;

  @BeforeEach
  void setUp() {
    client = new GatewayClient(port);
  }

  private List<RequestMappings.Route> routes() {
    List<RequestMappings.Route> routes = RequestMappings.of(handlerMapping).routes();
    assertThat(routes).as("the handler mapping lists the API").hasSizeGreaterThan(30);
    return routes;
  }

  private HttpRequest.Builder request(RequestMappings.Route route) {
    return client
        .request(route.path())
        .header("Content-Type", "application/json")
        .method(route.method(), HttpRequest.BodyPublishers.ofString("{}"));
  }

  @Test
  void everyApiRoute_withoutCredential_answers401_andEveryPage_redirectsToLogin() {
    for (RequestMappings.Route route : routes()) {
      if (AccessPolicy.requiredRole(route.method(), route.path()).isEmpty()) {
        continue;
      }
      HttpResponse<String> response = client.send(request(route));
      if (route.isApi()) {
        assertThat(response.statusCode()).as(route.toString()).isEqualTo(401);
        assertThat(response.body()).as(route.toString()).contains("unauthorized");
      } else if (route.method().equals("GET")) {
        assertThat(response.statusCode()).as(route.toString()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
            .as(route.toString())
            .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
      } else {
        // A form post without a session has no CSRF token either: refused before anything runs.
        assertThat(response.statusCode()).as(route.toString()).isIn(302, 403);
      }
    }
  }

  @Test
  void eachRole_isForbidden_everywhereItsRoleIsTooLow() {
    for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
      String token = tokenFor(role);
      int forbidden = 0;
      for (RequestMappings.Route route : routes()) {
        Optional<Role> required = AccessPolicy.requiredRole(route.method(), route.path());
        if (!route.isApi() || required.isEmpty() || role.includes(required.get())) {
          continue;
        }
        HttpResponse<String> response =
            client.send(request(route).header("Authorization", "Bearer " + token));
        assertThat(response.statusCode()).as(role + " " + route).isEqualTo(403);
        assertThat(response.body()).as(route.toString()).contains(required.get().name());
        forbidden++;
      }
      assertThat(forbidden).as("routes above " + role).isGreaterThan(5);
    }
  }

  @Test
  void eachRole_isForbidden_onEveryPageAndFormAboveIt() {
    for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
      String password = "a long enough password " + UUID.randomUUID();
      DashboardUser user =
          accounts.create(role.name().toLowerCase() + "-" + UUID.randomUUID(), password, role, "t");
      DashboardSession session = new DashboardSession(port);
      assertThat(session.login(user.getUsername(), password).headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
      int forbidden = 0;
      for (RequestMappings.Route route : routes()) {
        Optional<Role> required = AccessPolicy.requiredRole(route.method(), route.path());
        if (route.isApi() || required.isEmpty() || role.includes(required.get())) {
          continue;
        }
        HttpResponse<String> response =
            route.method().equals("GET")
                ? session.get(route.path())
                : session.post(route.path(), Map.of(), true);
        assertThat(response.statusCode()).as(role + " " + route).isEqualTo(403);
        forbidden++;
      }
      assertThat(forbidden).as("pages above " + role).isGreaterThan(3);
    }
  }

  @Test
  void aChangedRole_orADisabledUser_takesEffectOnTheNextRequest_notTheNextLogin() {
    String password = "a long enough password " + UUID.randomUUID();
    DashboardUser user =
        accounts.create("refresh-" + UUID.randomUUID(), password, Role.ADMIN, "test");
    accounts.create("spare-admin-" + UUID.randomUUID(), password, Role.ADMIN, "test");
    DashboardSession session = new DashboardSession(port);
    session.login(user.getUsername(), password);

    OpenSessionChecks.roleChangeAndDisablingReachTheSessionAtItsNextRequest(
        session, accounts, user.getId());
  }

  @Test
  void aFormActionThatFails_isAuditedAsFailed_withTheReason_thoughItRedirects() {
    DashboardSession session = new DashboardSession(port);
    session.login(GatewayTestEnvironment.ADMIN_USERNAME, GatewayTestEnvironment.ADMIN_PASSWORD);
    String name = "bad-cron-" + UUID.randomUUID();

    HttpResponse<String> response =
        session.post(
            "/schedules",
            Map.of("name", name, "jobType", "database", "target", "default", "cron", "61 * * * *"),
            true);

    assertThat(response.statusCode()).isEqualTo(302);
    Map<String, Object> audit =
        jdbc.queryForMap(
            "SELECT actor, outcome, detail FROM audit_event WHERE action = 'POST /schedules'"
                + " ORDER BY id DESC LIMIT 1");
    assertThat(audit)
        .containsEntry("actor", GatewayTestEnvironment.ADMIN_USERNAME)
        .containsEntry("outcome", "FAILED");
    assertThat(audit.get("detail").toString()).contains("cron");
  }

  @Test
  void policy_namesTheRolesTheIssueAsksFor() {
    assertThat(AccessPolicy.requiredRole("GET", "/api/v1/backups")).contains(Role.VIEWER);
    assertThat(AccessPolicy.requiredRole("GET", "/api/v1/backups/x/download")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("POST", "/api/v1/backups/x/restore")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("POST", "/api/v1/backups/x/verify"))
        .contains(Role.OPERATOR);
    assertThat(AccessPolicy.requiredRole("POST", "/api/backup/trigger")).contains(Role.OPERATOR);
    assertThat(AccessPolicy.requiredRole("POST", "/api/v1/schedules")).contains(Role.OPERATOR);
    assertThat(AccessPolicy.requiredRole("DELETE", "/api/v1/backups/x/pin")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("DELETE", "/api/v1/backups/x")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("GET", "/backups/x/delete")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("POST", "/backups/x/delete")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("POST", "/api/v1/backups/verify")).contains(Role.OPERATOR);
    assertThat(AccessPolicy.requiredRole("GET", "/api/v1/users")).contains(Role.ADMIN);
    assertThat(AccessPolicy.requiredRole("GET", "/mcp")).contains(Role.OPERATOR);
    assertThat(AccessPolicy.requiredRole("GET", "/api/backup/trigger/health")).isEmpty();
  }

  @Test
  void viewerToken_readsTheApi_andOperatorToken_reachesTheTrigger() {
    HttpResponse<String> read =
        client.send(
            client
                .request("/api/v1/jobs")
                .header("Authorization", "Bearer " + tokenFor(Role.VIEWER)));
    assertThat(read.statusCode()).isEqualTo(200);

    HttpResponse<String> trigger =
        client.send(
            client
                .request("/api/backup/trigger")
                .header("Authorization", "Bearer " + tokenFor(Role.OPERATOR))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"nonsense\"}")));
    assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(400);
  }

  @Test
  void serviceKey_keepsWorking_andIsAuditedAsApiKey() {
    HttpResponse<String> response =
        client.send(
            client
                .request("/api/backup/trigger")
                .header("X-Backup-Key", GatewayTestEnvironment.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"nonsense\"}")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    List<Map<String, Object>> audit =
        jdbc.queryForList(
            "SELECT actor, authenticated_by, outcome, http_status FROM audit_event"
                + " WHERE action = 'POST /api/backup/trigger' ORDER BY id DESC LIMIT 1");
    assertThat(audit).hasSize(1);
    assertThat(audit.getFirst())
        .containsEntry("actor", "api-key")
        .containsEntry("authenticated_by", "api-key")
        .containsEntry("outcome", "FAILED")
        .containsEntry("http_status", 400);
  }

  @Test
  void wrongOrRevokedToken_is401_sayingTheCredentialIsWrong() {
    String token = tokenFor(Role.ADMIN);
    UUID id =
        jdbc.queryForObject(
            "SELECT id FROM api_token ORDER BY created_at DESC LIMIT 1", UUID.class);
    tokens.revoke(id);

    for (String credential : List.of(token, ApiTokens.PREFIX + "made-up", "not-the-key")) {
      HttpResponse<String> response =
          client.send(
              client.request("/api/v1/jobs").header("Authorization", "Bearer " + credential));
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("wrong, revoked or expired");
    }
  }

  @Test
  void tokens_areStoredHashed_shownOnce_andNeverLogged(CapturedOutput output) {
    DashboardUser owner = newUser(Role.OPERATOR);
    HttpResponse<String> issued =
        client.send(
            client.postJson(
                "/api/v1/tokens",
                "{\"userId\":\""
                    + owner.getId()
                    + "\",\"name\":\"ci\",\"role\":\"OPERATOR\",\"validDays\":30}"));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String secret = GatewayClient.json(issued).get("token").asString();
    assertThat(secret).startsWith(ApiTokens.PREFIX).hasSizeGreaterThan(40);

    String stored =
        jdbc.queryForObject(
            "SELECT token_hash || ' ' || token_prefix FROM api_token WHERE user_id = ?",
            String.class,
            owner.getId());
    assertThat(stored).doesNotContain(secret);
    HttpResponse<String> list = client.send(client.authorized("/api/v1/tokens").GET());
    assertThat(list.body()).doesNotContain(secret).contains("\"ci\"");

    HttpResponse<String> used =
        client.send(client.request("/api/v1/jobs").header("Authorization", "Bearer " + secret));
    assertThat(used.statusCode()).isEqualTo(200);
    assertThat(output.getAll()).doesNotContain(secret);
  }

  @Test
  void tokenRole_cannotExceedItsOwner() {
    DashboardUser viewer = newUser(Role.VIEWER);
    HttpResponse<String> response =
        client.send(
            client.postJson(
                "/api/v1/tokens",
                "{\"userId\":\"" + viewer.getId() + "\",\"name\":\"x\",\"role\":\"ADMIN\"}"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayClient.json(response).get("detail").asString()).contains("only VIEWER");
  }

  @Test
  void login_needsCsrf_andSetsAHardenedSessionCookie() {
    DashboardSession session = new DashboardSession(port);
    HttpResponse<String> withoutCsrf =
        session.post(
            "/login",
            Map.of(
                "username",
                GatewayTestEnvironment.ADMIN_USERNAME,
                "password",
                GatewayTestEnvironment.ADMIN_PASSWORD),
            false);
    assertThat(withoutCsrf.statusCode()).isEqualTo(403);

    HttpResponse<String> login =
        session.login(GatewayTestEnvironment.ADMIN_USERNAME, GatewayTestEnvironment.ADMIN_PASSWORD);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("KANBU_SESSION=")
                    .contains("HttpOnly")
                    .contains("SameSite=Strict"));

    HttpResponse<String> logoutWithoutCsrf = session.post("/logout", Map.of(), false);
    assertThat(logoutWithoutCsrf.statusCode()).isEqualTo(403);
  }

  @Test
  void pages_carrySecurityHeaders() {
    HttpResponse<String> page = client.send(client.request("/login").GET());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
  }

  @Test
  void wrongPassword_fiveTimes_locksTheName_evenForTheRightPassword(CapturedOutput output) {
    String password = "correct horse battery " + UUID.randomUUID();
    DashboardUser user =
        accounts.create("lock-" + UUID.randomUUID(), password, Role.VIEWER, "test");
    DashboardSession session = new DashboardSession(port);

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> wrong = session.login(user.getUsername(), "wrong password " + i);
      assertThat(wrong.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error=bad"));
    }
    HttpResponse<String> fifth = session.login(user.getUsername(), "wrong password 5");
    assertThat(fifth.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error=locked"));

    HttpResponse<String> right = session.login(user.getUsername(), password);
    assertThat(right.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error=locked"));
    assertThat(session.get("/login?error=locked").body()).contains("locked for 15 minutes");

    List<String> outcomes =
        jdbc.queryForList(
            "SELECT outcome FROM audit_event WHERE actor = ? AND action = 'login' ORDER BY id",
            String.class,
            user.getUsername());
    assertThat(outcomes).hasSize(6).endsWith("FAILED", "DENIED");
    assertThat(output.getAll()).doesNotContain(password);
  }

  @Test
  void auditApi_filtersByActorAndOutcome() {
    client.send(client.postJson("/api/v1/schedules", "{}"));

    HttpResponse<String> response =
        client.send(
            client.authorized("/api/v1/audit?actor=api-key&action=schedules&outcome=FAILED").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode items = GatewayClient.json(response).get("items");
    assertThat(items.size()).isPositive();
    for (JsonNode item : items) {
      assertThat(item.get("actor").asString()).isEqualTo("api-key");
      assertThat(item.get("action").asString()).isEqualTo("POST /api/v1/schedules");
      assertThat(item.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
    }
    HttpResponse<String> bad = client.send(client.authorized("/api/v1/audit?outcome=MAYBE").GET());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("SUCCESS, DENIED or FAILED");
  }

  private DashboardUser newUser(Role role) {
    return accounts.create(
        role.name().toLowerCase() + "-" + UUID.randomUUID(),
        "a long enough password " + UUID.randomUUID(),
        role,
        "test");
  }

  private String tokenFor(Role role) {
    return tokens.issue(newUser(role).getId(), "test", role, null).secret();
  }
}
