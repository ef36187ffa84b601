package io.kanbu.backup.worker.job;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What every worker integration test sets up the same way: its catalog, broker and jobs queue. */
public final class WorkerTestEnvironment {

  private WorkerTestEnvironment() {}

  /** Points the worker at a private catalog database and at the test broker. */
  public static void registerServices(
      DynamicPropertyRegistry registry, PostgresEndpoint pg, RabbitEndpoint mq, String catalogDb) {
    registry.add("spring.datasource.url", () -> pg.jdbcUrl(catalogDb));
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
    registry.add("spring.rabbitmq.host", mq::host);
    registry.add("spring.rabbitmq.port", mq::port);
    registry.add("spring.rabbitmq.username", mq::user);
    registry.add("spring.rabbitmq.password", mq::password);
    registry.add("spring.rabbitmq.virtual-host", mq::vhost);
  }

  /** Waits until the job reached a final state (the worker may still be creating its row). */
  public static BackupJob awaitFinished(BackupJobRepository jobs, UUID jobId, Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> jobs.findById(jobId).orElse(null),
            job -> job != null && job.getStatus().isFinal());
  }

  /** A plain RabbitMQ client connection to the test broker. */
  public static Connection connect(RabbitEndpoint mq, String name)
      throws IOException, TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(mq.host());
    factory.setPort(mq.port());
    factory.setUsername(mq.user());
    factory.setPassword(mq.password());
    factory.setVirtualHost(mq.vhost());
    return factory.newConnection(name);
  }

  /** Deletes a test's private jobs queue. */
  static void deleteQueue(RabbitEndpoint mq, String queue) throws IOException, TimeoutException {
    try (Connection connection = connect(mq, "kanbu-it-cleanup");
        Channel channel = connection.createChannel()) {
      channel.queueDelete(queue);
    }
  }

  /**
   * Declares a private jobs queue bound to the commands exchange under its own name (the routing
   * key the test publishes with), and empties it.
   */
  public static void declareJobsQueue(Channel channel, String queue) throws IOException {
    channel.exchangeDeclare(MessagingTopology.COMMANDS_EXCHANGE, "direct", true);
    channel.queueDeclare(queue, true, false, false, MessagingTopology.jobsQueueArguments());
    channel.queueBind(queue, MessagingTopology.COMMANDS_EXCHANGE, queue);
    channel.queuePurge(queue);
  }
}
