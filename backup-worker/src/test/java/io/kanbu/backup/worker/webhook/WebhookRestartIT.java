package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.catalog.WebhookFormat;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.worker.BackupWorkerApplication;
import io.kanbu.backup.worker.job.WorkerTestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker stops for good in the middle of a retry sequence and another one starts: the retry,
 * waiting in the broker, is made by the new worker with the same webhook-id. Two whole worker
 * applications, one after the other, on the real PostgreSQL and RabbitMQ.
 */
@ExtendWith(ExternalServices.class)
class WebhookRestartIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_it_webhook_restart" + SUFFIX;
  static final String QUEUES = "kanbu.it.webhook.restart" + SUFFIX;

  @Test
  void aRetryScheduledBeforeTheWorkerStopped_isMadeByTheNextWorker() throws Exception {
    ExternalServices.postgres().recreateDatabase(CATALOG_DB);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.on(
          "/restart",
          WebhookReceiver.Behaviour.firstThenOk(
              new WebhookReceiver.Answer(503, Map.of("Retry-After", "3"), 0)));
      UUID endpointId;
      JobEvent event;
      WebhookDelivery waiting;
      try (ConfigurableApplicationContext first = startWorker(receiver)) {
        endpointId =
            first
                .getBean(WebhookEndpointRepository.class)
                .saveAndFlush(
                    WebhookEndpoint.create(
                        UUID.randomUUID(),
                        receiver.url("/restart"),
                        null,
                        WebhookEventFilter.parse("job.*"),
                        WebhookFormat.STANDARD,
                        WebhookSecret.generate().reveal(),
                        Instant.now()))
                .getId();
        event =
            WebhookDeliveryIT.publish(
                first.getBean(RabbitTemplate.class),
                WebhookDeliveryIT.jobEvent(JobEvent.JOB_FAILED, JobType.BACKUP_DATABASE));
        WebhookDeliveryRepository deliveries = first.getBean(WebhookDeliveryRepository.class);
        WebhookAttemptRepository attempts = first.getBean(WebhookAttemptRepository.class);
        waiting =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> delivery(deliveries, endpointId, event.id()),
                    d ->
                        d != null
                            && !attempts.findByDeliveryIdOrderByAttempt(d.getId()).isEmpty()
                            && d.getStatus() == WebhookDelivery.Status.PENDING);
      }

      // the Retry-After passes with no worker running: the retry waits in the broker
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(receiver.withId(waiting.getId().toString())).hasSize(1);

      try (ConfigurableApplicationContext second = startWorker(receiver)) {
        WebhookDeliveryRepository deliveries = second.getBean(WebhookDeliveryRepository.class);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> delivery(deliveries, endpointId, event.id()),
                d -> d != null && d.getStatus() == WebhookDelivery.Status.DELIVERED);
        assertThat(receiver.withId(waiting.getId().toString())).hasSize(2);
        assertThat(
                second
                    .getBean(WebhookAttemptRepository.class)
                    .findByDeliveryIdOrderByAttempt(waiting.getId()))
            .extracting(WebhookAttempt::getHttpStatus)
            .containsExactly(503, 200);
      }
    }
  }

  static WebhookDelivery delivery(
      WebhookDeliveryRepository deliveries, UUID endpointId, UUID eventId) {
    return deliveries.findByEventId(eventId).stream()
        .filter(d -> d.getEndpointId().equals(endpointId))
        .findFirst()
        .orElse(null);
  }

  /** A whole worker application, configured as the command line of a real one would. */
  static ConfigurableApplicationContext startWorker(WebhookReceiver receiver) {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    Map<String, Object> settings = new LinkedHashMap<>();
    WorkerTestEnvironment.registerServices(
        (name, value) -> settings.put(name, value.get()),
        pg,
        ExternalServices.rabbitmq(),
        CATALOG_DB);
    settings.put("server.port", 0);
    settings.put("kanbu.worker.jobs-queue", QUEUES + ".jobs");
    settings.put("kanbu.postgres.mode", "direct");
    settings.put("kanbu.targets.default.database-url", pg.databaseUrl(CATALOG_DB));
    settings.put("kanbu.webhook.notifications-queue", QUEUES + ".notifications");
    settings.put("kanbu.webhook.deliveries-queue", QUEUES + ".deliveries");
    settings.put("kanbu.webhook.delay-queue-prefix", QUEUES + ".delay.");
    settings.put("kanbu.webhook.allow-http", true);
    settings.put("kanbu.webhook.allowed-hosts", "127.0.0.1");
    settings.put("kanbu.webhook.retry-scale", 0.001);
    List<String> args = new ArrayList<>();
    settings.forEach((name, value) -> args.add("--" + name + "=" + value));
    return new SpringApplicationBuilder(BackupWorkerApplication.class)
        .run(args.toArray(String[]::new));
  }
}
