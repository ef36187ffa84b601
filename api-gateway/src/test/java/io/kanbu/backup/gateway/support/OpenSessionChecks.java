package io.kanbu.backup.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.access.UserAccounts;
import java.net.http.HttpResponse;
import java.util.UUID;

/** Checks that hold for every kind of dashboard session, however the user signed in. */
public final class OpenSessionChecks {

  private OpenSessionChecks() {}

  /**
   * An administrator's open session loses the admin pages at its next request once the user is made
   * a viewer, and is logged out at its next request once the user is disabled.
   *
   * @param session signed in as {@code userId}, an enabled administrator who is not the last one
   */
  public static void roleChangeAndDisablingReachTheSessionAtItsNextRequest(
      DashboardSession session, UserAccounts accounts, UUID userId) {
    assertThat(session.get("/users").statusCode()).isEqualTo(200);

    accounts.changeRole(userId, Role.VIEWER);
    assertThat(session.get("/users").statusCode()).isEqualTo(403);
    assertThat(session.get("/jobs").statusCode()).isEqualTo(200);

    accounts.changeEnabled(userId, false);
    HttpResponse<String> afterDisable = session.get("/jobs");
    assertThat(afterDisable.statusCode()).isEqualTo(302);
    assertThat(afterDisable.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
  }
}
