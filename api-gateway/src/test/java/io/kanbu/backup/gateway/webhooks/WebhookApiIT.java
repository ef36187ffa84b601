package io.kanbu.backup.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.core.webhook.WebhookSignatures;
import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages;
import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.model.messaging.WebhookPayloads;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The webhooks API over real HTTP, on a catalog of its own and the real broker. No worker runs here
 * ({@code WebhookDeliveryIT} in the worker proves delivery): tests and replays are checked as the
 * catalog rows and queued attempts a worker would take, from a private deliveries queue.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookApiIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String DATABASE = "kanbu_it_webhook_gateway" + SUFFIX;
  static final String DELIVERIES_QUEUE = "kanbu.it.gateway.webhook.deliveries" + SUFFIX;

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
    registry.add("kanbu.webhooks.allow-http", () -> "true");
    registry.add("kanbu.webhooks.allowed-hosts", () -> "127.0.0.1");
    registry.add("kanbu.webhooks.deliveries-queue", () -> DELIVERIES_QUEUE);
  }

  @LocalServerPort int port;
  @Autowired WebhookEndpointRepository endpoints;
  @Autowired WebhookDeliveryRepository deliveries;
  @Autowired WebhookAttemptRepository attempts;
  @Autowired RabbitTemplate rabbit;
  @Autowired TransactionTemplate transactions;

  GatewayClient client;

  @BeforeAll
  void setUp() {
    client = new GatewayClient(port);
    Map<String, Object> arguments = new HashMap<>(MessagingTopology.webhookQueueArguments());
    arguments.put("x-expires", Duration.ofMinutes(15).toMillis());
    Queue queue = QueueBuilder.durable(DELIVERIES_QUEUE).withArguments(arguments).build();
    RabbitAdmin admin = new RabbitAdmin(rabbit);
    admin.declareQueue(queue);
    admin.purgeQueue(DELIVERIES_QUEUE, false);
  }

  HttpResponse<String> create(String json) {
    return client.send(client.postJson("/api/v1/webhooks", json));
  }

  JsonNode created(String json) {
    HttpResponse<String> response = create(json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return GatewayClient.json(response);
  }

  HttpResponse<String> put(String path, String json) {
    return client.send(client.putJson(path, json));
  }

  HttpResponse<String> get(String path) {
    return client.send(client.authorized(path).GET());
  }

  HttpResponse<String> post(String path) {
    return client.send(client.postEmpty(path));
  }

  WebhookDeliveryMessages.Attempt nextQueuedAttempt() {
    Message message = rabbit.receive(DELIVERIES_QUEUE, 5000);
    assertThat(message).as("a queued attempt in %s", DELIVERIES_QUEUE).isNotNull();
    return WebhookDeliveryMessages.read(message);
  }

  @Test
  void create_showsTheSecretOnce_andGetNeverShowsIt() {
    JsonNode body =
        created(
            """
            {"url":"http://127.0.0.1:9/hooks/a","description":"ops channel",
             "events":["job.*","verify.failed"],"format":"slack"}""");

    String secret = body.path("secret").asString();
    WebhookSecret.parse(secret);
    assertThat(secret).startsWith("whsec_");
    JsonNode webhook = body.path("webhook");
    assertThat(webhook.path("format").asString()).isEqualTo("slack");
    assertThat(webhook.path("events").toString()).isEqualTo("[\"job.*\",\"verify.failed\"]");
    assertThat(webhook.path("enabled").asBoolean()).isTrue();
    assertThat(webhook.path("managedBy").asString()).isEqualTo("api");
    String id = webhook.path("id").asString();

    HttpResponse<String> one = get("/api/v1/webhooks/" + id);
    HttpResponse<String> all = get("/api/v1/webhooks");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(GatewayClient.json(one).path("description").asString()).isEqualTo("ops channel");
    assertThat(one.body()).doesNotContain(secret.substring(6)).doesNotContain("\"secret\"");
    assertThat(all.body()).contains(id).doesNotContain(secret.substring(6));
  }

  @Test
  void urlsTheGuardRefuses_are400s_namingTheRule() {
    HttpResponse<String> loopbackName = create("{\"url\":\"http://localhost:8080/hook\"}");
    assertThat(loopbackName.statusCode()).isEqualTo(400);
    assertThat(loopbackName.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = GatewayClient.json(loopbackName);
    assertThat(problem.path("field").asString()).isEqualTo("url");
    assertThat(problem.path("detail").asString())
        .contains("host 'localhost' resolves to")
        .contains("loopback");

    JsonNode privateAddress = GatewayClient.json(create("{\"url\":\"http://10.1.2.3/hook\"}"));
    assertThat(privateAddress.path("detail").asString()).contains("a private address");
    JsonNode metadata =
        GatewayClient.json(create("{\"url\":\"http://169.254.169.254/latest/meta-data\"}"));
    assertThat(metadata.path("detail").asString()).contains("link-local");
    JsonNode scheme = GatewayClient.json(create("{\"url\":\"ftp://127.0.0.1/hook\"}"));
    assertThat(scheme.path("detail").asString()).contains("must use https or http");
    JsonNode missing = GatewayClient.json(create("{\"description\":\"no url\"}"));
    assertThat(missing.path("field").asString()).isEqualTo("url");
  }

  @Test
  void badEventsAndFormats_are400s_namingTheField() {
    JsonNode events =
        GatewayClient.json(
            create("{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"job.*.started\"]}"));
    assertThat(events.path("field").asString()).isEqualTo("events");
    assertThat(events.path("detail").asString()).contains("'job.*.started'");
    JsonNode format =
        GatewayClient.json(create("{\"url\":\"http://127.0.0.1:9/h\",\"format\":\"xml\"}"));
    assertThat(format.path("field").asString()).isEqualTo("format");
    assertThat(format.path("detail").asString()).contains("standard, slack, discord, kanbu-legacy");
  }

  @Test
  void update_changesFields_disablesAndEnables_andDeleteRemoves() {
    String id = created("{\"url\":\"http://127.0.0.1:9/u\"}").path("webhook").path("id").asString();

    JsonNode updated =
        GatewayClient.json(
            put(
                "/api/v1/webhooks/" + id,
                "{\"events\":[\"restore.*\"],\"format\":\"discord\",\"enabled\":false}"));
    assertThat(updated.path("events").toString()).isEqualTo("[\"restore.*\"]");
    assertThat(updated.path("format").asString()).isEqualTo("discord");
    assertThat(updated.path("enabled").asBoolean()).isFalse();
    assertThat(updated.path("disabledReason").asString()).isEqualTo("disabled by an operator");
    assertThat(post("/api/v1/webhooks/" + id + "/test").statusCode()).isEqualTo(409);

    JsonNode enabled = GatewayClient.json(put("/api/v1/webhooks/" + id, "{\"enabled\":true}"));
    assertThat(enabled.path("enabled").asBoolean()).isTrue();
    assertThat(enabled.path("disabledReason").isNull()).isTrue();
    HttpResponse<String> refused = put("/api/v1/webhooks/" + id, "{\"url\":\"http://10.0.0.1/\"}");
    assertThat(refused.statusCode()).isEqualTo(400);

    assertThat(client.send(client.authorized("/api/v1/webhooks/" + id).DELETE()).statusCode())
        .isEqualTo(204);
    assertThat(get("/api/v1/webhooks/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void rotation_givesANewSecret_andBothSignDuringTheGracePeriod() {
    JsonNode first = created("{\"url\":\"http://127.0.0.1:9/r\"}");
    String id = first.path("webhook").path("id").asString();
    String oldSecret = first.path("secret").asString();

    JsonNode rotated = GatewayClient.json(post("/api/v1/webhooks/" + id + "/rotate-secret"));

    String newSecret = rotated.path("secret").asString();
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
    Instant validUntil =
        Instant.parse(rotated.path("webhook").path("previousSecretValidUntil").asString());
    assertThat(validUntil)
        .isBetween(
            Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
    WebhookEndpoint endpoint = endpoints.findById(UUID.fromString(id)).orElseThrow();
    Instant now = Instant.now();
    assertThat(endpoint.signingSecrets(now)).containsExactly(newSecret, oldSecret);
    assertThat(endpoint.signingSecrets(validUntil.plusSeconds(1))).containsExactly(newSecret);
    // what a receiver holding either secret sees
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String header =
        WebhookSignatures.standard(
            "d",
            now,
            body,
            endpoint.signingSecrets(now).stream().map(WebhookSecret::parse).toList());
    for (String secret : List.of(oldSecret, newSecret)) {
      assertThat(
              WebhookSignatures.verifyStandard(
                  "d",
                  Long.toString(now.getEpochSecond()),
                  body,
                  header,
                  WebhookSecret.parse(secret),
                  now,
                  Duration.ofMinutes(5)))
          .isTrue();
    }
  }

  @Test
  void testEvent_isQueuedAsATestDelivery_inTheEndpointsFormat() {
    String id =
        created("{\"url\":\"http://127.0.0.1:9/t\",\"format\":\"kanbu-legacy\"}")
            .path("webhook")
            .path("id")
            .asString();

    HttpResponse<String> response = post("/api/v1/webhooks/" + id + "/test");

    assertThat(response.statusCode()).isEqualTo(202);
    UUID deliveryId = UUID.fromString(GatewayClient.json(response).path("deliveryId").asString());
    WebhookDelivery delivery = deliveries.findById(deliveryId).orElseThrow();
    assertThat(delivery.isTest()).isTrue();
    assertThat(delivery.getEventType()).isEqualTo(WebhookPayloads.TEST_EVENT_TYPE);
    assertThat(delivery.getStatus()).isEqualTo(WebhookDelivery.Status.PENDING);
    assertThat(delivery.getPayload()).contains("\"event\":\"webhook.test\"");
    assertThat(nextQueuedAttempt()).isEqualTo(new WebhookDeliveryMessages.Attempt(deliveryId, 1));
  }

  @Test
  void deliveriesList_showsAttempts_andReplayQueuesTheSameDeliveryAgain() {
    String id = created("{\"url\":\"http://127.0.0.1:9/d\"}").path("webhook").path("id").asString();
    UUID endpointId = UUID.fromString(id);
    WebhookDelivery failed =
        deliveries.saveAndFlush(
            new WebhookDelivery(
                UUID.randomUUID(),
                endpointId,
                UUID.randomUUID(),
                "job.failed",
                "{\"x\":1}",
                false,
                Instant.now()));
    // as a worker does: claim attempt 1, record it, give up
    transactions.executeWithoutResult(
        tx -> {
          Instant now = Instant.now();
          deliveries.claimAttempt(failed.getId(), 1, now, now);
          attempts.save(new WebhookAttempt(failed.getId(), 1, now, 500, 42, "oops", null));
          deliveries.findById(failed.getId()).orElseThrow().failed();
        });

    JsonNode list = GatewayClient.json(get("/api/v1/webhooks/" + id + "/deliveries"));
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).path("status").asString()).isEqualTo("FAILED");
    assertThat(list.get(0).path("attemptLog").get(0).path("httpStatus").asInt()).isEqualTo(500);
    assertThat(list.get(0).path("attemptLog").get(0).path("response").asString()).isEqualTo("oops");

    HttpResponse<String> replay =
        post("/api/v1/webhooks/" + id + "/deliveries/" + failed.getId() + "/replay");

    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
    assertThat(GatewayClient.json(replay).path("deliveryId").asString())
        .isEqualTo(failed.getId().toString());
    assertThat(nextQueuedAttempt())
        .isEqualTo(new WebhookDeliveryMessages.Attempt(failed.getId(), 2));
    WebhookDelivery pending = deliveries.findById(failed.getId()).orElseThrow();
    assertThat(pending.getStatus()).isEqualTo(WebhookDelivery.Status.PENDING);
    assertThat(pending.attemptsThisRound()).isZero();
    assertThat(
            post("/api/v1/webhooks/" + id + "/deliveries/" + failed.getId() + "/replay")
                .statusCode())
        .isEqualTo(409);
    assertThat(
            post("/api/v1/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/replay")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theEnvironmentsEndpoint_isShown_butNotChangedThroughTheApi() {
    endpoints.saveAndFlush(
        WebhookEndpoint.fromEnvironment(
            "http://127.0.0.1:9/env",
            WebhookEventFilter.parse("job.failed"),
            "plain secret",
            Instant.now()));
    String id = WebhookEndpoint.ENVIRONMENT_ENDPOINT_ID.toString();

    JsonNode shown = GatewayClient.json(get("/api/v1/webhooks/" + id));
    assertThat(shown.path("managedBy").asString()).isEqualTo("environment");
    assertThat(shown.path("format").asString()).isEqualTo("kanbu-legacy");
    HttpResponse<String> changed = put("/api/v1/webhooks/" + id, "{\"enabled\":false}");
    assertThat(changed.statusCode()).isEqualTo(409);
    assertThat(GatewayClient.json(changed).path("detail").asString())
        .contains("BACKUP_WEBHOOK_URL");
    assertThat(post("/api/v1/webhooks/" + id + "/rotate-secret").statusCode()).isEqualTo(409);
  }
}
