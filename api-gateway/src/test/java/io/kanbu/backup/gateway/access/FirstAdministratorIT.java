package io.kanbu.backup.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.DashboardSession;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.testing.ExternalServices;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first start without {@code BACKUP_ADMIN_PASSWORD}, on a catalog of its own: an administrator
 * with a generated password that is printed once, works for a login, and is stored only hashed.
 */
@ExtendWith({ExternalServices.class, OutputCaptureExtension.class})
// Its own catalog, used by no other class: close its context (and connection pool) afterwards.
@DirtiesContext
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirstAdministratorIT {

  private static final Pattern GENERATED = Pattern.compile("generated password (\\S+) ;");

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(
        registry, GatewayTestEnvironment.MAIN_DATABASE + "_first_admin");
    registry.add("kanbu.access.admin-username", () -> "root-admin");
    registry.add("kanbu.access.admin-password", () -> "");
  }

  @LocalServerPort int port;
  @Autowired FirstAdministrator firstAdministrator;
  @Autowired JdbcTemplate jdbc;

  @Test
  void generatedPassword_isPrintedOnce_logsIn_andIsStoredOnlyHashed(CapturedOutput output) {
    firstAdministrator.createIfNoUserExists(); // a second start: there is a user now
    List<String> printed =
        GENERATED.matcher(output.getAll()).results().map(m -> m.group(1)).toList();
    assertThat(printed).as("the generated password, printed once").hasSize(1);
    String password = printed.getFirst();

    String hash =
        jdbc.queryForObject(
            "SELECT password_hash FROM dashboard_user WHERE username = 'root-admin'", String.class);
    assertThat(hash).startsWith("{argon2}").doesNotContain(password);
    assertThat(jdbc.queryForObject("SELECT role FROM dashboard_user", String.class))
        .isEqualTo("ADMIN");

    DashboardSession session = new DashboardSession(port);
    assertThat(session.login("Root-Admin", password).headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
    assertThat(session.get("/users").body()).contains("root-admin");
  }
}
