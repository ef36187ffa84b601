package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.core.webhook.WebhookSignatures;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.catalog.WebhookFormat;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.model.messaging.WebhookEndpointDisabledEvent;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import io.kanbu.backup.worker.job.WorkerTestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Pageable;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook delivery in the worker, against the real PostgreSQL and RabbitMQ and a real HTTP receiver
 * that checks what a subscriber checks: signatures, timestamps, ids. Retry delays are shortened by
 * {@code BACKUP_WEBHOOK_RETRY_SCALE}; they still pass through the delay queues. The worker's queues
 * are private (see {@code config/application.properties} of the tests), but the events exchange is
 * shared: other tests' events may reach these endpoints too, so every check looks at this test's
 * own event and webhook ids.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookDeliveryIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_it_webhook_catalog" + SUFFIX;
  static final String SOURCE_DB = "kanbu_it_webhook_source" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.webhook.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  static final String ENV_PATH = "/environment/" + UUID.randomUUID();

  static WebhookReceiver receiver;
  static Path storage;

  @Autowired WebhookEndpointRepository endpoints;
  @Autowired WebhookDeliveryRepository deliveries;
  @Autowired WebhookAttemptRepository attempts;
  @Autowired JobEventRecordRepository events;
  @Autowired WebhookDelayQueues queues;
  @Autowired RabbitTemplate rabbit;
  @Autowired TransactionTemplate transactions;
  @Autowired io.micrometer.core.instrument.MeterRegistry registry;

  @Autowired
  @Qualifier("webhookDeliveryListener")
  SimpleMessageListenerContainer deliveryListener;

  private final MessageCodec codec = new MessageCodec();
  private final JsonMapper json = new JsonMapper();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    PostgresEndpoint pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(SOURCE_DB);
    try (java.sql.Connection c = pg.connect(SOURCE_DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE note (id int PRIMARY KEY, body text)");
      s.execute("INSERT INTO note SELECT g, 'note ' || g FROM generate_series(1, 100) g");
    }
    try (com.rabbitmq.client.Connection c = WorkerTestEnvironment.connect(mq, "webhook-it");
        com.rabbitmq.client.Channel channel = c.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
    receiver = new WebhookReceiver();
    storage = Files.createTempDirectory("kanbu-webhook-it");
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-webhook-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.local-path", storage::toString);
    registry.add("kanbu.postgres.mode", () -> "direct");
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(SOURCE_DB));
    registry.add("kanbu.webhook.allow-http", () -> "true");
    // the receiver by address; 'localhost' (a name resolving to loopback) stays refused
    registry.add("kanbu.webhook.allowed-hosts", () -> "127.0.0.1");
    registry.add("kanbu.webhook.retry-scale", () -> "0.001");
    registry.add("kanbu.webhook.max-consecutive-failures", () -> "3");
    registry.add("kanbu.webhook.connect-timeout", () -> "1s");
    registry.add("kanbu.webhook.total-timeout", () -> "2s");
    registry.add("kanbu.webhook.sweep-interval", () -> "1s");
    registry.add("kanbu.webhook.sweep-grace", () -> "2s");
    // the original's settings: one endpoint in its format, successes and failures
    registry.add("kanbu.webhook.url", () -> receiver.url(ENV_PATH));
    registry.add("kanbu.webhook.secret", () -> "an operator's secret");
    registry.add("kanbu.webhook.notify-on-success", () -> "true");
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  // --- helpers ---

  record Subscriber(WebhookEndpoint endpoint, String secret, String path) {}

  Subscriber subscribe(String path, WebhookFormat format, String filter) {
    String secret = WebhookSecret.generate().reveal();
    return subscribe(path, format, filter, receiver.url(path), secret);
  }

  Subscriber subscribe(
      String path, WebhookFormat format, String filter, String url, String secret) {
    WebhookEndpoint endpoint =
        endpoints.saveAndFlush(
            WebhookEndpoint.create(
                UUID.randomUUID(),
                url,
                "test " + path,
                WebhookEventFilter.parse(filter),
                format,
                secret,
                Instant.now()));
    return new Subscriber(endpoint, secret, path);
  }

  static String uniquePath(String name) {
    return "/" + name + "/" + UUID.randomUUID();
  }

  /** Publishes a job event on the real exchange, as the worker's outbox does. */
  JobEvent publishJobEvent(String type, JobType jobType) {
    return publish(rabbit, jobEvent(type, jobType));
  }

  static JobEvent publish(RabbitTemplate rabbit, JobEvent event) {
    rabbit.send(
        MessagingTopology.EVENTS_EXCHANGE,
        event.type(),
        new CommandMessages(new MessageCodec()).event(event));
    return event;
  }

  /** A job's end as the worker announces it, with a file for a success and an error otherwise. */
  static JobEvent jobEvent(String type, JobType jobType) {
    JobStatus status = type.endsWith("succeeded") ? JobStatus.SUCCEEDED : JobStatus.FAILED;
    boolean ok = status == JobStatus.SUCCEEDED;
    return new JobEvent(
        JobEvent.SCHEMA_VERSION,
        UUID.randomUUID(),
        type,
        Instant.now(),
        new JobEvent.Data(
            UUID.randomUUID(),
            jobType,
            "default",
            status,
            TriggerSource.SCHEDULE,
            1,
            null,
            ok ? "kanbu_backup_x.sql.gz.enc" : null,
            null,
            ok ? 2048L : null,
            ok ? 2100L : null,
            null,
            null,
            1200L,
            ok ? null : "pg_dump: connection refused"));
  }

  WebhookDelivery awaitDelivery(Subscriber subscriber, UUID eventId, WebhookDelivery.Status s) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                deliveries.findByEventId(eventId).stream()
                    .filter(d -> d.getEndpointId().equals(subscriber.endpoint().getId()))
                    .findFirst()
                    .orElse(null),
            d -> d != null && d.getStatus() == s);
  }

  WebhookEndpoint awaitDisabled(Subscriber subscriber) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> endpoints.findById(subscriber.endpoint().getId()).orElseThrow(),
            e -> !e.isEnabled());
  }

  List<WebhookAttempt> attemptsOf(WebhookDelivery delivery) {
    return attempts.findByDeliveryIdOrderByAttempt(delivery.getId());
  }

  void assertSignedByStandardWebhooks(WebhookReceiver.Received request, String secret) {
    assertThat(
            WebhookSignatures.verifyStandard(
                request.header("webhook-id"),
                request.header("webhook-timestamp"),
                request.body(),
                request.header("webhook-signature"),
                WebhookSecret.parse(secret),
                Instant.now(),
                TOLERANCE))
        .as("signature of %s", request.header("webhook-id"))
        .isTrue();
  }

  // --- tests ---

  @Test
  void realBackupJobEvent_isDelivered_asTheEnvelope_withStandardWebhooksSignature()
      throws Exception {
    Subscriber subscriber =
        subscribe(uniquePath("real"), WebhookFormat.STANDARD, "job.succeeded, job.failed");
    UUID jobId = UUID.randomUUID();
    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        new CommandMessages(codec)
            .command(
                BackupCommand.of(
                    jobId,
                    JobType.BACKUP_DATABASE,
                    "default",
                    TriggerSource.MESSAGE,
                    "webhook-it",
                    Instant.now())));

    WebhookReceiver.Received request =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    receiver.at(subscriber.path()).stream()
                        .filter(r -> r.bodyText().contains(jobId.toString()))
                        .findFirst()
                        .orElse(null),
                r -> r != null);

    JobEvent event = codec.decodeEvent(request.body());
    assertThat(event.type()).isEqualTo(JobEvent.JOB_SUCCEEDED);
    assertThat(event.data().jobId()).isEqualTo(jobId);
    assertThat(event.data().fileName()).startsWith("kanbu_backup_");
    assertThat(event.data().sha256()).hasSize(64);
    assertSignedByStandardWebhooks(request, subscriber.secret());
    assertThat(request.header("content-type")).startsWith("application/json");
    WebhookDelivery delivery =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    assertThat(request.header("webhook-id")).isEqualTo(delivery.getId().toString());
    assertThat(Instant.ofEpochSecond(Long.parseLong(request.header("webhook-timestamp"))))
        .isBetween(Instant.now().minus(TOLERANCE), Instant.now().plusSeconds(1));
    assertThat(attemptsOf(delivery))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getHttpStatus()).isEqualTo(200);
              assertThat(a.getResponseExcerpt()).isEqualTo("answer 200 to request 1");
              assertThat(a.getLatencyMs()).isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void serverErrors_areRetriedThroughTheDelayQueues_withTheSameWebhookId() {
    Subscriber subscriber = subscribe(uniquePath("flaky"), WebhookFormat.STANDARD, "job.*");
    receiver.on(subscriber.path(), nth -> WebhookReceiver.Answer.of(nth <= 2 ? 500 : 200));
    double retryingBefore = deliveryCount("retrying");
    double deliveredBefore = deliveryCount("delivered");
    long delaysBefore = delayTimer().count();

    JobEvent event = publishJobEvent(JobEvent.JOB_FAILED, JobType.BACKUP_DATABASE);

    WebhookDelivery delivery =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    // other tests' deliveries share the counters: at least this one's attempts are counted
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(deliveryCount("retrying") - retryingBefore).isGreaterThanOrEqualTo(2);
              assertThat(deliveryCount("delivered") - deliveredBefore).isGreaterThanOrEqualTo(1);
              assertThat(delayTimer().count() - delaysBefore).isGreaterThanOrEqualTo(1);
            });
    // its delay, event to delivery, spans both retries (each waited at least 200 ms)
    assertThat(delayTimer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(400);
    List<WebhookReceiver.Received> requests = receiver.withId(delivery.getId().toString());
    assertThat(requests).hasSize(3);
    requests.forEach(r -> assertSignedByStandardWebhooks(r, subscriber.secret()));
    assertThat(requests)
        .extracting(WebhookReceiver.Received::bodyText)
        .containsOnly(requests.getFirst().bodyText());
    // 5 s and 5 min scaled by 0.001 are below the shortest delay queue (250 ms): each retry waited
    // in it
    for (int i = 1; i < requests.size(); i++) {
      assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
    assertThat(attemptsOf(delivery))
        .extracting(WebhookAttempt::getAttempt, WebhookAttempt::getHttpStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 500),
            org.assertj.core.groups.Tuple.tuple(2, 500),
            org.assertj.core.groups.Tuple.tuple(3, 200));
  }

  @Test
  void tooManyRequests_withRetryAfter_waitsAtLeastThatLong() {
    Subscriber subscriber = subscribe(uniquePath("busy"), WebhookFormat.STANDARD, "job.*");
    receiver.on(
        subscriber.path(),
        WebhookReceiver.Behaviour.firstThenOk(
            new WebhookReceiver.Answer(429, Map.of("Retry-After", "2"), 0)));

    JobEvent event = publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE);

    WebhookDelivery delivery =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    List<WebhookReceiver.Received> requests = receiver.withId(delivery.getId().toString());
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(attemptsOf(delivery))
        .extracting(WebhookAttempt::getHttpStatus)
        .containsExactly(429, 200);
  }

  @Test
  void hangingEndpoint_timesOut_andIsRetried() {
    Subscriber subscriber = subscribe(uniquePath("hang"), WebhookFormat.STANDARD, "job.*");
    receiver.on(
        subscriber.path(),
        WebhookReceiver.Behaviour.firstThenOk(new WebhookReceiver.Answer(200, Map.of(), 6000)));

    JobEvent event = publishJobEvent(JobEvent.JOB_FAILED, JobType.BACKUP_SOURCE);

    WebhookDelivery delivery =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    List<WebhookAttempt> made = attemptsOf(delivery);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).getHttpStatus()).isNull();
    assertThat(made.get(0).getError()).contains("no complete response within 2 s");
    assertThat(made.get(0).getLatencyMs()).isBetween(1900L, 5000L);
    assertThat(made.get(1).getHttpStatus()).isEqualTo(200);
  }

  @Test
  void gone_disablesTheEndpoint_andPublishesAnEvent_thatOtherSubscribersReceive() {
    Subscriber gone = subscribe(uniquePath("gone"), WebhookFormat.STANDARD, "job.*");
    receiver.on(gone.path(), nth -> WebhookReceiver.Answer.of(410));
    Subscriber watcher =
        subscribe(uniquePath("watcher"), WebhookFormat.SLACK, WebhookEndpointDisabledEvent.TYPE);

    publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE);

    // the first job event to reach it disables it (maybe another test's, on the shared exchange)
    WebhookEndpoint disabled = awaitDisabled(gone);
    assertThat(disabled.getDisabledReason()).isEqualTo("it answered 410 Gone");
    WebhookDelivery delivery =
        deliveries
            // every delivery, not the newest few: other tests' events on the shared exchange
            // (job.started among them) keep adding "not sent" deliveries after the sent one
            .findByEndpointIdOrderByCreatedAtDesc(gone.endpoint().getId(), Pageable.unpaged())
            .stream()
            .filter(d -> d.getStatus() == WebhookDelivery.Status.FAILED)
            // the one that was sent: events fanned out at the same moment find the endpoint
            // disabled and end FAILED with a "not sent" attempt (no HTTP status)
            .filter(d -> attemptsOf(d).stream().anyMatch(a -> a.getHttpStatus() != null))
            .findFirst()
            .orElseThrow();
    assertThat(attemptsOf(delivery)).extracting(WebhookAttempt::getHttpStatus).containsExactly(410);
    WebhookReceiver.Received announcement =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    receiver.at(watcher.path()).stream()
                        .filter(r -> r.bodyText().contains(gone.endpoint().getId().toString()))
                        .findFirst()
                        .orElse(null),
                r -> r != null);
    JsonNode slack = json.readTree(announcement.body());
    assertThat(slack.path("text").asString())
        .startsWith("⚠️ webhook endpoint '127.0.0.1' disabled: it answered 410 Gone");
  }

  @Test
  void deliveriesFailingForGood_inARow_disableTheEndpoint() {
    Subscriber subscriber =
        subscribe(uniquePath("refuses"), WebhookFormat.DISCORD, "verify.failed");
    receiver.on(subscriber.path(), nth -> WebhookReceiver.Answer.of(400));
    double failedBefore = deliveryCount("failed");

    for (int i = 0; i < 3; i++) {
      JobEvent event = publishJobEvent(JobEvent.VERIFY_FAILED, JobType.VERIFY);
      // a 400 is not retried: the delivery fails at once (unless other tests' verify.failed
      // events, on the shared exchange, disabled the endpoint first)
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  !endpoints.findById(subscriber.endpoint().getId()).orElseThrow().isEnabled()
                      || deliveries.findByEventId(event.id()).stream()
                          .anyMatch(
                              d ->
                                  d.getEndpointId().equals(subscriber.endpoint().getId())
                                      && d.getStatus() == WebhookDelivery.Status.FAILED
                                      && attemptsOf(d).size() == 1));
    }

    WebhookEndpoint disabled = awaitDisabled(subscriber);
    assertThat(disabled.getDisabledReason())
        .isEqualTo("3 deliveries in a row failed for good (the last: HTTP 400)");
    assertThat(deliveryCount("failed") - failedBefore).isGreaterThanOrEqualTo(3);
    assertThat(events.findAll())
        .anySatisfy(
            e -> {
              assertThat(e.getEventType()).isEqualTo(WebhookEndpointDisabledEvent.TYPE);
              assertThat(e.getWebhookEndpointId()).isEqualTo(subscriber.endpoint().getId());
              assertThat(e.getJobId()).isNull();
            });
    assertThat(receiver.at(subscriber.path()).getFirst().bodyText())
        .contains("\"content\":\"❌ verification of 'default' failed");
  }

  @Test
  void legacyFormat_isTheOriginalsPayload_signedWithXKanbuSignature() {
    String path = uniquePath("legacy");
    Subscriber subscriber =
        subscribe(
            path,
            WebhookFormat.KANBU_LEGACY,
            "job.failed",
            receiver.url(path),
            "the-original-secret");

    JobEvent event = publishJobEvent(JobEvent.JOB_FAILED, JobType.BACKUP_DATABASE);

    awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    WebhookReceiver.Received request =
        receiver.at(subscriber.path()).stream()
            .filter(r -> r.bodyText().contains("connection refused"))
            .findFirst()
            .orElseThrow();
    assertThat(request.header("x-kanbu-signature"))
        .isEqualTo(WebhookSignatures.legacy(request.body(), "the-original-secret"));
    assertThat(request.header("user-agent")).isEqualTo("Kanbu-Backup/1.0");
    JsonNode body = json.readTree(request.body());
    assertThat(body.path("event").asString()).isEqualTo("backup.failed");
    assertThat(body.path("execution").path("status").asString()).isEqualTo("FAILED");
    assertThat(body.path("execution").path("trigger").asString()).isEqualTo("SCHEDULED");
    assertThat(body.path("execution").path("errorMessage").asString())
        .isEqualTo("pg_dump: connection refused");
    assertThat(body.path("execution").path("id").asInt()).isZero();
    assertThat(body.has("schedule")).isTrue();
  }

  @Test
  void aNameResolvingToAPrivateAddress_isRefusedAtDelivery() {
    String path = uniquePath("ssrf");
    Subscriber subscriber =
        subscribe(
            path,
            WebhookFormat.STANDARD,
            "restore.failed",
            "http://localhost:" + receiver.port() + path,
            WebhookSecret.generate().reveal());

    JobEvent event = publishJobEvent(JobEvent.RESTORE_FAILED, JobType.RESTORE_DATABASE);

    WebhookDelivery delivery = awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.FAILED);
    assertThat(attemptsOf(delivery))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getHttpStatus()).isNull();
              assertThat(a.getError())
                  .contains("host 'localhost' resolves to")
                  .contains("loopback")
                  .contains("BACKUP_WEBHOOK_ALLOWED_HOSTS");
            });
    assertThat(receiver.at(path)).isEmpty();
  }

  @Test
  void aRedeliveredEvent_fansOutOnce() {
    Subscriber subscriber = subscribe(uniquePath("once"), WebhookFormat.STANDARD, "job.*");
    JobEvent event = publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_SOURCE);
    publish(rabbit, event);

    WebhookDelivery delivery =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.withId(delivery.getId().toString()).size() == 1);
    assertThat(deliveries.findByEventId(event.id()))
        .filteredOn(d -> d.getEndpointId().equals(subscriber.endpoint().getId()))
        .hasSize(1);
  }

  @Test
  void replay_sendsTheSameWebhookIdAndBodyAgain() {
    Subscriber subscriber = subscribe(uniquePath("replay"), WebhookFormat.STANDARD, "job.*");
    JobEvent event = publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE);
    WebhookDelivery delivered =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);

    // what POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay does
    int next =
        transactions.execute(
            tx -> {
              WebhookDelivery d = deliveries.findById(delivered.getId()).orElseThrow();
              d.replay(Instant.now());
              return d.getAttempts() + 1;
            });
    queues.sendNow(new WebhookDeliveryMessages.Attempt(delivered.getId(), next));

    await().atMost(TIMEOUT).until(() -> receiver.withId(delivered.getId().toString()).size() == 2);
    List<WebhookReceiver.Received> requests = receiver.withId(delivered.getId().toString());
    assertThat(requests.get(1).bodyText()).isEqualTo(requests.get(0).bodyText());
    assertSignedByStandardWebhooks(requests.get(1), subscriber.secret());
    WebhookDelivery replayed =
        awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    assertThat(attemptsOf(replayed)).extracting(WebhookAttempt::getAttempt).containsExactly(1, 2);
  }

  @Test
  void aRetryWaitingWhileNoWorkerConsumes_isMadeWhenOneIsBack() {
    Subscriber subscriber = subscribe(uniquePath("restart"), WebhookFormat.STANDARD, "job.*");
    receiver.on(
        subscriber.path(),
        WebhookReceiver.Behaviour.firstThenOk(
            new WebhookReceiver.Answer(503, Map.of("Retry-After", "2"), 0)));

    JobEvent event = publishJobEvent(JobEvent.JOB_FAILED, JobType.BACKUP_DATABASE);
    WebhookDelivery waiting =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    deliveries.findByEventId(event.id()).stream()
                        .filter(d -> d.getEndpointId().equals(subscriber.endpoint().getId()))
                        .filter(
                            d ->
                                d.getAttempts() == 1
                                    && d.getStatus() == WebhookDelivery.Status.PENDING)
                        .filter(d -> !attemptsOf(d).isEmpty())
                        .findFirst()
                        .orElse(null),
                d -> d != null);
    deliveryListener.stop();
    try {
      // the retry leaves its delay queue for the deliveries queue, where nobody takes it
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(receiver.withId(waiting.getId().toString())).hasSize(1);
      assertThat(deliveries.findById(waiting.getId()).orElseThrow().getStatus())
          .isEqualTo(WebhookDelivery.Status.PENDING);
    } finally {
      deliveryListener.start();
    }

    awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.DELIVERED);
    assertThat(receiver.withId(waiting.getId().toString())).hasSize(2);
  }

  @Test
  void aDeliveryWhoseMessageWasLost_isSentByTheSweep() {
    Subscriber subscriber = subscribe(uniquePath("lost"), WebhookFormat.STANDARD, "job.*");
    UUID eventId = UUID.randomUUID();
    // a delivery stored with no message queued (as if the publish after its commit failed)
    Instant longAgo = Instant.now().minusSeconds(30);
    deliveries.saveAndFlush(
        new WebhookDelivery(
            UUID.randomUUID(),
            subscriber.endpoint().getId(),
            eventId,
            JobEvent.JOB_FAILED,
            "{\"lost\":true}",
            false,
            longAgo));

    WebhookDelivery delivered =
        awaitDelivery(subscriber, eventId, WebhookDelivery.Status.DELIVERED);
    assertThat(receiver.withId(delivered.getId().toString()))
        .singleElement()
        .extracting(WebhookReceiver.Received::bodyText)
        .isEqualTo("{\"lost\":true}");
  }

  @Test
  void theEnvironmentsWebhook_isALegacyEndpoint_forSuccessesAndFailures() {
    WebhookEndpoint endpoint =
        endpoints.findById(WebhookEndpoint.ENVIRONMENT_ENDPOINT_ID).orElseThrow();
    assertThat(endpoint.isManagedByEnvironment()).isTrue();
    assertThat(endpoint.getFormat()).isEqualTo(WebhookFormat.KANBU_LEGACY);
    assertThat(endpoint.filter().patterns())
        .containsExactly(
            "job.succeeded", "restore.succeeded", "job.failed", "restore.failed", "verify.failed");

    JobEvent event = publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE);

    Subscriber environment = new Subscriber(endpoint, "an operator's secret", ENV_PATH);
    awaitDelivery(environment, event.id(), WebhookDelivery.Status.DELIVERED);
    WebhookReceiver.Received request =
        receiver.at(ENV_PATH).stream()
            .filter(r -> r.bodyText().contains(event.occurredAt().toString()))
            .findFirst()
            .orElseThrow();
    assertThat(request.header("x-kanbu-signature"))
        .isEqualTo(WebhookSignatures.legacy(request.body(), "an operator's secret"));
    JsonNode body = json.readTree(request.body());
    assertThat(body.path("event").asString()).isEqualTo("backup.completed");
    assertThat(body.path("execution").path("status").asString()).isEqualTo("COMPLETED");
    assertThat(body.path("execution").path("isEncrypted").asBoolean()).isTrue();
    assertThat(body.path("execution").path("fileSize").asLong()).isEqualTo(2048);
  }

  @Test
  void aRedirect_isNotFollowed_andFailsTheDelivery() {
    Subscriber subscriber = subscribe(uniquePath("moved"), WebhookFormat.STANDARD, "job.*");
    receiver.on(
        subscriber.path(),
        nth -> new WebhookReceiver.Answer(302, Map.of("Location", "http://10.0.0.1/steal"), 0));

    JobEvent event = publishJobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_SOURCE);

    WebhookDelivery delivery = awaitDelivery(subscriber, event.id(), WebhookDelivery.Status.FAILED);
    assertThat(attemptsOf(delivery)).extracting(WebhookAttempt::getHttpStatus).containsExactly(302);
  }

  /** {@code kanbu_backup_webhook_deliveries_total{outcome}}, 0 before the first one. */
  private double deliveryCount(String outcome) {
    io.micrometer.core.instrument.Counter counter =
        registry.find("kanbu.backup.webhook.deliveries").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private io.micrometer.core.instrument.Timer delayTimer() {
    return registry.get("kanbu.backup.webhook.delivery.delay").timer();
  }
}
