package io.kanbu.backup.gateway.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/schedules} on a private catalog, with {@code BACKUP_SCHEDULER_MODE=internal} (so
 * the external trigger is refused) and {@code BACKUP_CRON_TIMEZONE=Europe/Amsterdam}. Run-now jobs
 * name target {@code alpha}, which no worker has.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // few connections, given back when the class ends: the test server is shared
    properties = "spring.datasource.hikari.maximum-pool-size=3")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ScheduleApiIT {

  private static final String SCHEDULES = "/api/v1/schedules";

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(
        registry, "kanbu_it_sched_gateway" + System.getProperty("kanbu.it.worker-suffix", ""));
    registry.add("kanbu.schedules.mode", () -> "internal");
    registry.add("kanbu.schedules.default-time-zone", () -> "Europe/Amsterdam");
  }

  @Test
  void create_answers201_withDescriptionNextFiveFireTimesAndDefaults() {
    HttpResponse<String> response =
        client().send(client().postJson(SCHEDULES, body("nightly-db", "30 2 * * *")));

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode schedule = GatewayClient.json(response);
    String id = schedule.get("id").asString();
    assertThat(response.headers().firstValue("Location")).contains(SCHEDULES + "/" + id);
    assertThat(schedule.get("name").asString()).isEqualTo("nightly-db");
    assertThat(schedule.get("jobType").asString()).isEqualTo("database");
    assertThat(schedule.get("target").asString()).isEqualTo("default");
    assertThat(schedule.get("timeZone").asString()).isEqualTo("Europe/Amsterdam");
    assertThat(schedule.get("description").asString())
        .isEqualTo("at 02:30, every day (Europe/Amsterdam)");
    assertThat(schedule.get("status").asString()).isEqualTo("active");
    assertThat(schedule.get("enabled").asBoolean()).isTrue();
    assertThat(schedule.get("misfirePolicy").asString()).isEqualTo("run-once");
    assertThat(schedule.get("misfireGrace").isNull()).isTrue();
    assertThat(schedule.get("createdBy").asString()).isEqualTo("api-key");
    List<Instant> next = instants(schedule.get("nextFireTimes"));
    assertThat(next).hasSize(5).isSorted().doesNotHaveDuplicates();
    assertThat(next.getFirst()).isAfter(Instant.now());
    assertThat(next.getFirst()).isEqualTo(Instant.parse(schedule.get("nextFireAt").asString()));
  }

  @Test
  void getListChangePauseResumeDelete_roundTrip() {
    String id = create(body("crud-" + shortId(), "0 3 * * 1-5"));

    JsonNode read = GatewayClient.json(client().send(client().authorized(SCHEDULES + "/" + id)));
    assertThat(read.get("description").asString())
        .isEqualTo("at 03:00, on Monday to Friday (Europe/Amsterdam)");
    JsonNode list = GatewayClient.json(client().send(client().authorized(SCHEDULES + "?size=200")));
    List<String> ids = new ArrayList<>();
    list.get("items").forEach(item -> ids.add(item.get("id").asString()));
    assertThat(ids).contains(id);

    HttpResponse<String> changed =
        client()
            .send(
                patch(
                    id,
                    "{\"cron\":\"@hourly\",\"timeZone\":\"UTC\",\"jobType\":\"both\","
                        + "\"misfireGrace\":\"30m\",\"misfirePolicy\":\"skip\"}"));
    assertThat(changed.statusCode()).isEqualTo(200);
    JsonNode after = GatewayClient.json(changed);
    assertThat(after.get("description").asString())
        .isEqualTo("@hourly: every hour at minute 0 (UTC)");
    assertThat(after.get("jobType").asString()).isEqualTo("all");
    assertThat(after.get("misfireGrace").asString()).isEqualTo("PT30M");
    assertThat(after.get("misfirePolicy").asString()).isEqualTo("skip");
    assertThat(instants(after.get("nextFireTimes"))).allMatch(t -> t.getEpochSecond() % 3600 == 0);

    JsonNode paused = GatewayClient.json(client().send(post(SCHEDULES + "/" + id + "/pause")));
    assertThat(paused.get("status").asString()).isEqualTo("paused");
    assertThat(paused.get("nextFireAt").isNull()).isTrue();
    assertThat(paused.get("nextFireTimes").isEmpty()).isTrue();
    JsonNode resumed = GatewayClient.json(client().send(post(SCHEDULES + "/" + id + "/resume")));
    assertThat(resumed.get("status").asString()).isEqualTo("active");
    assertThat(resumed.get("nextFireAt").isNull()).isFalse();

    HttpResponse<String> deleted =
        client().send(client().authorized(SCHEDULES + "/" + id).DELETE());
    assertThat(deleted.statusCode()).isEqualTo(204);
    HttpResponse<String> gone = client().send(client().authorized(SCHEDULES + "/" + id));
    assertThat(gone.statusCode()).isEqualTo(404);
    assertProblem(gone, null, "schedule '" + id + "' does not exist");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{\"jobType\":\"database\",\"cron\":\"@daily\"}                     | name     | field 'name' is required",
        "{\"name\":\"x\",\"cron\":\"@daily\"}                               | jobType  | field 'jobType' is required",
        "{\"name\":\"x\",\"jobType\":\"weekly\",\"cron\":\"@daily\"}          | jobType  | jobType 'weekly' is not supported",
        "{\"name\":\"x\",\"jobType\":\"database\"}                          | cron     | field 'cron' is required",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"61 2 * * *\"}    | cron     | invalid cron expression",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"* * *\"}         | cron     | has 3 fields",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@sometimes\"}    | cron     | unknown macro",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"timeZone\":\"Mars/Base\"} | timeZone | unknown time zone 'Mars/Base'",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"target\":\"nowhere\"}     | target   | target 'nowhere' is not configured",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"enabled\":\"yes\"}        | enabled  | must be true or false",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"misfireGrace\":\"soon\"}  | misfireGrace | must be a duration",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"keepDaily\":7}            | keepDaily | PUT /api/v1/retention/policies/{target}",
        "{\"name\":\"x\",\"jobType\":\"database\",\"cron\":\"@daily\",\"colour\":\"red\"}         | colour   | unknown field 'colour'",
        "not json                                                           | body     | not valid JSON"
      })
  void invalidBodies_answer400_namingTheField(String json, String field, String detail) {
    long before = jobs.count();

    HttpResponse<String> response = client().send(client().postJson(SCHEDULES, json));

    assertThat(response.statusCode()).isEqualTo(400);
    assertProblem(response, field, detail);
    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void aTakenName_answers409_namingTheField() {
    String name = "taken-" + shortId();
    create(body(name, "@daily"));

    HttpResponse<String> response =
        client().send(client().postJson(SCHEDULES, body(name, "@hourly")));

    assertThat(response.statusCode()).isEqualTo(409);
    assertProblem(response, "name", "a schedule named '" + name + "' exists already");
  }

  @Test
  void aPruneSchedule_queuesAPruneJobOfItsTarget() {
    String id =
        create(
            "{\"name\":\"prune-"
                + shortId()
                + "\",\"jobType\":\"prune\",\"target\":\"alpha\",\"cron\":\"@daily\"}");

    HttpResponse<String> run = client().send(post(SCHEDULES + "/" + id + "/run"));

    assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
    JsonNode accepted = GatewayClient.json(run);
    BackupJob prune =
        jobs.findById(UUID.fromString(accepted.get("jobs").get(0).get("jobId").asString()))
            .orElseThrow();
    assertThat(prune.getType()).isEqualTo(JobType.PRUNE);
    assertThat(prune.getTarget()).isEqualTo("alpha");
    assertThat(prune.getTriggerSource()).isEqualTo(TriggerSource.SCHEDULE);
  }

  @Test
  void runNow_queuesTheJobs_andASecondRunWhileTheyAreQueued_isRefusedAndRecorded() {
    String id =
        create(
            "{\"name\":\"run-"
                + shortId()
                + "\",\"jobType\":\"all\",\"target\":\"alpha\",\"cron\":\"0 4 1 1 *\"}");

    HttpResponse<String> run = client().send(post(SCHEDULES + "/" + id + "/run"));

    assertThat(run.statusCode()).isEqualTo(202);
    JsonNode accepted = GatewayClient.json(run);
    assertThat(accepted.get("jobs").size()).isEqualTo(2);
    List<BackupJob> created = new ArrayList<>();
    accepted
        .get("jobs")
        .forEach(
            j ->
                created.add(
                    jobs.findById(UUID.fromString(j.get("jobId").asString())).orElseThrow()));
    assertThat(created)
        .extracting(BackupJob::getType)
        .containsExactly(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE);
    assertThat(created)
        .extracting(BackupJob::getTriggerSource)
        .containsOnly(TriggerSource.SCHEDULE);
    assertThat(created).extracting(BackupJob::getTarget).containsOnly("alpha");
    assertThat(created.get(0).getScheduleFiringId())
        .isEqualTo(UUID.fromString(accepted.get("firingId").asString()));

    HttpResponse<String> again = client().send(post(SCHEDULES + "/" + id + "/run"));

    assertThat(again.statusCode()).isEqualTo(409);
    assertProblem(again, null, "is still queued or running");
    JsonNode firings =
        GatewayClient.json(client().send(client().authorized(SCHEDULES + "/" + id + "/firings")));
    assertThat(firings.get("items").size()).isEqualTo(2);
    JsonNode newest = firings.get("items").get(0);
    assertThat(newest.get("trigger").asString()).isEqualTo("MANUAL");
    assertThat(newest.get("outcome").asString()).isEqualTo("SKIPPED_PREVIOUS_ACTIVE");
    assertThat(newest.get("detail").asString()).contains(created.get(0).getId().toString());
    JsonNode first = firings.get("items").get(1);
    assertThat(first.get("outcome").asString()).isEqualTo("JOB_CREATED");
    assertThat(first.get("jobIds").size()).isEqualTo(2);
    JsonNode schedule =
        GatewayClient.json(client().send(client().authorized(SCHEDULES + "/" + id)));
    assertThat(schedule.get("lastFiring").get("outcome").asString())
        .isEqualTo("SKIPPED_PREVIOUS_ACTIVE");
  }

  @Test
  void externalTrigger_inInternalMode_answers403_sayingExternalTriggersAreOff() {
    long before = jobs.count();

    HttpResponse<String> response =
        client().send(client().postJson("/api/backup/trigger", "{\"type\":\"database\"}"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertProblem(response, null, "external triggers are off");
    assertThat(GatewayClient.json(response).get("detail").asString())
        .contains("BACKUP_SCHEDULER_MODE is 'internal'");
    assertThat(jobs.count()).isEqualTo(before);
  }

  @Test
  void schedules_needTheApiKey() {
    HttpResponse<String> response = client().send(client().request(SCHEDULES));

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void openApi_documentsTheSchedulesEndpoints_andTheirBody() {
    JsonNode docs = GatewayClient.json(client().send(client().authorized("/v3/api-docs").GET()));

    JsonNode paths = docs.get("paths");
    assertThat(paths.has(SCHEDULES)).isTrue();
    assertThat(paths.get(SCHEDULES + "/{id}").has("patch")).isTrue();
    assertThat(paths.has(SCHEDULES + "/{id}/run")).isTrue();
    assertThat(paths.has(SCHEDULES + "/{id}/firings")).isTrue();
    JsonNode body = docs.get("components").get("schemas").get("ScheduleBody").get("properties");
    assertThat(body.has("cron")).isTrue();
    assertThat(body.has("misfireGrace")).isTrue();
  }

  @Test
  void unknownSchedule_answers404() {
    HttpResponse<String> response =
        client().send(post(SCHEDULES + "/" + UUID.randomUUID() + "/run"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertProblem(response, null, "does not exist");
  }

  private GatewayClient client() {
    return new GatewayClient(port);
  }

  private String create(String json) {
    HttpResponse<String> response = client().send(client().postJson(SCHEDULES, json));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return GatewayClient.json(response).get("id").asString();
  }

  private HttpRequest.Builder post(String path) {
    return client().authorized(path).POST(HttpRequest.BodyPublishers.noBody());
  }

  private HttpRequest.Builder patch(String id, String json) {
    return client()
        .authorized(SCHEDULES + "/" + id)
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
  }

  private static String body(String name, String cron) {
    return "{\"name\":\"" + name + "\",\"jobType\":\"database\",\"cron\":\"" + cron + "\"}";
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<Instant> instants(JsonNode array) {
    List<Instant> times = new ArrayList<>();
    array.forEach(t -> times.add(Instant.parse(t.asString())));
    return times;
  }

  private static void assertProblem(
      HttpResponse<String> response, @Nullable String field, String detail) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = GatewayClient.json(response);
    assertThat(problem.get("detail").asString()).contains(detail);
    if (field != null) {
      assertThat(problem.get("field").asString()).isEqualTo(field);
    }
  }
}
