package io.kanbu.backup.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.DashboardSession;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The Schedules page's forms, as a logged-in operator's browser posts them (session, CSRF token):
 * the edit form changes every field the schedules API lets one change, a refusal is explained next
 * to the form it came from with what was typed, and each form's cron help has its own elements.
 */
class SchedulesPageIT extends GatewayIntegrationTest {

  @Autowired JdbcTemplate jdbc;

  DashboardSession session;
  GatewayClient api;

  @BeforeEach
  void logIn() {
    session = new DashboardSession(port);
    session.login(GatewayTestEnvironment.ADMIN_USERNAME, GatewayTestEnvironment.ADMIN_PASSWORD);
    api = new GatewayClient(port);
  }

  @Test
  void editForm_changesEveryFieldTheApiAllows_andSaysWhatWasSaved() {
    String id = createSchedule("page-edit-" + GatewayTestEnvironment.randomHex(4));
    String renamed = "page-edited-" + GatewayTestEnvironment.randomHex(4);
    assertThat(session.get("/schedules").body())
        .contains("id=\"edit-" + id + "-schedule-name\"", "id=\"edit-" + id + "-schedule-grace\"");

    HttpResponse<String> saved =
        session.post(
            "/schedules/" + id,
            form(
                "name", renamed,
                "jobType", "prune",
                "target", "alpha",
                "cron", "15 4 * * 1-5",
                "timeZone", "Europe/Amsterdam",
                "enabled", "false",
                "misfirePolicy", "skip",
                "misfireGrace", "30m"),
            true);

    assertThat(saved.statusCode()).isEqualTo(302);
    assertThat(saved.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/schedules"));
    assertThat(session.get("/schedules").body())
        .contains("id=\"flash\"")
        .contains(
            "saved (name, jobType, target, cron, timeZone, enabled, misfirePolicy, misfireGrace);"
                + " its timing restarts from now.");
    JsonNode schedule = schedule(id);
    assertThat(schedule.get("name").asString()).isEqualTo(renamed);
    assertThat(schedule.get("jobType").asString()).isEqualTo("prune");
    assertThat(schedule.get("target").asString()).isEqualTo("alpha");
    assertThat(schedule.get("cron").asString()).isEqualTo("15 4 * * 1-5");
    assertThat(schedule.get("timeZone").asString()).isEqualTo("Europe/Amsterdam");
    assertThat(schedule.get("status").asString()).isEqualTo("paused");
    assertThat(schedule.get("misfirePolicy").asString()).isEqualTo("skip");
    assertThat(schedule.get("misfireGrace").asString()).isEqualTo("PT30M");

    // resuming alone sends only that change, so the timing is not restarted
    HttpResponse<String> resumed =
        session.post("/schedules/" + id, Map.of("enabled", "true"), true);
    assertThat(resumed.statusCode()).isEqualTo(302);
    assertThat(session.get("/schedules").body()).contains("saved (enabled).");
    assertThat(schedule(id).get("status").asString()).isEqualTo("active");
  }

  @Test
  void refusedEdit_isExplainedNextToItsForm_withWhatWasTyped_andChangesNothing() {
    String id = createSchedule("page-refused-" + GatewayTestEnvironment.randomHex(4));

    HttpResponse<String> refused =
        session.post("/schedules/" + id, Map.of("cron", "61 * * * *"), true);

    assertThat(refused.statusCode()).isEqualTo(302);
    String page = session.get("/schedules").body();
    String error = elementWithId(page, "edit-" + id + "-schedule-error");
    assertThat(error).contains("cron: invalid cron expression").contains("61");
    assertThat(page)
        .as("the form stays open")
        .containsPattern("<details open[^>]*>\\s*<summary>Edit");
    assertThat(elementWithId(page, "edit-" + id + "-schedule-cron"))
        .contains("value=\"61 * * * *\"")
        .contains("invalid");
    assertThat(page).doesNotContain("id=\"flash-error\"");
    assertThat(schedule(id).get("cron").asString()).isEqualTo("30 2 * * *");
    Map<String, Object> audit =
        jdbc.queryForMap(
            "SELECT outcome, detail FROM audit_event WHERE action = 'POST /schedules/{id}'"
                + " ORDER BY id DESC LIMIT 1");
    assertThat(audit).containsEntry("outcome", "FAILED");
    assertThat(audit.get("detail").toString()).contains("cron");
  }

  @Test
  void refusedCreate_isExplainedNextToTheNewScheduleForm_withWhatWasTyped() {
    String name = "page-new-" + GatewayTestEnvironment.randomHex(4);

    session.post(
        "/schedules",
        form(
            "name", name,
            "jobType", "database",
            "target", "default",
            "cron", "0 3 * * *",
            "misfireGrace", "soon"),
        true);

    String page = session.get("/schedules").body();
    assertThat(elementWithId(page, "schedule-error"))
        .contains("misfireGrace: field 'misfireGrace' must be a duration");
    assertThat(elementWithId(page, "schedule-name")).contains("value=\"" + name + "\"");
    assertThat(elementWithId(page, "schedule-grace")).contains("value=\"soon\"", "invalid");
    assertThat(page).doesNotContain("data-schedule=\"" + name + "\"");
  }

  @Test
  void cronHelpOfAnEditForm_describesTheExpression_inElementsOfItsOwn() {
    String body =
        session.get("/schedules/preview?cron=0+3+*+*+1-5&timeZone=UTC&previewKey=edit-abc-").body();

    assertThat(elementWithId(body, "edit-abc-cron-description")).contains("03:00");
    assertThat(body)
        .contains("id=\"edit-abc-next-fire-times\"")
        .doesNotContain("id=\"next-fire-times\"");
    assertThat(body.split("<li>", -1)).hasSize(6);
  }

  private String createSchedule(String name) {
    HttpResponse<String> created =
        api.send(
            api.postJson(
                "/api/v1/schedules",
                """
                {"name":"%s","jobType":"database","cron":"30 2 * * *","timeZone":"UTC"}
                """
                    .formatted(name)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return GatewayClient.json(created).get("id").asString();
  }

  private JsonNode schedule(String id) {
    HttpResponse<String> response = api.send(api.authorized("/api/v1/schedules/" + id).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    return GatewayClient.json(response);
  }

  private static Map<String, String> form(String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  /**
   * The element with {@code id} up to the next end tag (its start tag, and a paragraph's text),
   * with Thymeleaf's escapes of quotes undone.
   */
  private static String elementWithId(String html, String id) {
    int at = html.indexOf("id=\"" + id + "\"");
    assertThat(at).as("element '%s' on the page", id).isNotNegative();
    int start = html.lastIndexOf('<', at);
    int end = html.indexOf("</", at);
    return html.substring(start, end < 0 ? html.indexOf('>', at) + 1 : end)
        .replace("&#39;", "'")
        .replace("&quot;", "\"");
  }
}
