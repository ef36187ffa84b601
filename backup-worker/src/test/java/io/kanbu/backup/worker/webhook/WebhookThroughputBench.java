package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.catalog.WebhookFormat;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import io.kanbu.backup.worker.job.WorkerTestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook throughput benchmark (issue 7), run by {@code bench/webhooks.sh}, not by the test
 * suite (its name does not end in Test or IT): a worker (this JVM, its real fan-out and delivery
 * code, the real catalog and broker) fans {@code bench.webhook.events} (default 10,000) job events
 * out to three endpoints, each a real HTTP server on 127.0.0.1 that answers 200. It prints
 * deliveries per second (first event published to last delivery received) and the delay from an
 * event's {@code occurredAt} to its arrival at an endpoint (p50, p95, p99, max), and checks that
 * every event reached every endpoint exactly once and that every delivery is recorded DELIVERED.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(classes = BackupWorkerApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookThroughputBench {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_bench_webhook_catalog" + SUFFIX;
  static final int EVENTS = Integer.getInteger("bench.webhook.events", 10_000);
  static final int ENDPOINTS = 3;
  static final String CONCURRENCY = System.getProperty("bench.webhook.concurrency", "");

  static final List<Endpoint> receivers = new ArrayList<>();

  @Autowired WebhookEndpointRepository endpoints;
  @Autowired WebhookDeliveryRepository deliveries;
  @Autowired RabbitTemplate rabbit;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    PostgresEndpoint pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    for (int i = 0; i < ENDPOINTS; i++) {
      receivers.add(new Endpoint());
    }
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "bench-webhook-worker");
    registry.add("kanbu.worker.jobs-queue", () -> "kanbu.bench.webhook.jobs" + SUFFIX);
    Path storage = Files.createTempDirectory("kanbu-webhook-bench");
    registry.add("kanbu.worker.storage.local-path", storage::toString);
    registry.add("kanbu.webhook.allow-http", () -> "true");
    registry.add("kanbu.webhook.allowed-hosts", () -> "127.0.0.1");
    if (!CONCURRENCY.isBlank()) {
      registry.add("kanbu.webhook.delivery-concurrency", () -> CONCURRENCY);
    }
  }

  @AfterAll
  static void stopReceivers() {
    receivers.forEach(Endpoint::close);
  }

  @Test
  void fanOut() throws Exception {
    for (Endpoint receiver : receivers) {
      endpoints.saveAndFlush(
          WebhookEndpoint.create(
              UUID.randomUUID(),
              receiver.url(),
              "throughput bench",
              WebhookEventFilter.parse("job.*"),
              WebhookFormat.STANDARD,
              WebhookSecret.generate().reveal(),
              Instant.now()));
    }
    int expected = EVENTS * ENDPOINTS;

    long start = System.nanoTime();
    for (int i = 0; i < EVENTS; i++) {
      WebhookDeliveryIT.publish(
          rabbit, WebhookDeliveryIT.jobEvent(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE));
    }
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    await()
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> receivers.stream().mapToInt(Endpoint::received).sum() >= expected);
    double seconds = (System.nanoTime() - start) / 1e9;

    List<Long> delays = new ArrayList<>();
    receivers.forEach(r -> delays.addAll(r.delaysMillis));
    Collections.sort(delays);
    String report =
        String.format(
            Locale.ROOT,
            "webhook fan-out: %d events x %d endpoints = %d deliveries (delivery concurrency %s)%n"
                + "  events published in %.1f s; all delivered in %.1f s -> %.0f deliveries/s%n"
                + "  delay event->delivery: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
            EVENTS,
            ENDPOINTS,
            expected,
            CONCURRENCY.isBlank() ? "default" : CONCURRENCY,
            publishSeconds,
            seconds,
            expected / seconds,
            percentile(delays, 50),
            percentile(delays, 95),
            percentile(delays, 99),
            delays.getLast());
    System.out.print(report);
    String out = System.getProperty("bench.webhook.report");
    if (out != null) {
      Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
    }

    for (Endpoint receiver : receivers) {
      assertThat(receiver.received()).as("deliveries at %s", receiver.url()).isEqualTo(EVENTS);
      assertThat(receiver.duplicates).as("repeated webhook-ids at %s", receiver.url()).isEmpty();
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> deliveries.countByStatus(WebhookDelivery.Status.DELIVERED) == expected);
  }

  static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
  }

  /** An endpoint that answers 200 at once and records each delivery's delay and webhook-id. */
  static final class Endpoint implements AutoCloseable {
    private static final JsonMapper JSON = new JsonMapper();

    final ConcurrentLinkedQueue<Long> delaysMillis = new ConcurrentLinkedQueue<>();
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final Set<String> duplicates = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    Endpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.setExecutor(executor);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Instant occurredAt = Instant.parse(JSON.readTree(body).path("occurredAt").asString());
            delaysMillis.add(Duration.between(occurredAt, Instant.now()).toMillis());
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (!ids.add(id)) {
              duplicates.add(id);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int received() {
      return ids.size();
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
