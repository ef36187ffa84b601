package io.kanbu.backup.gateway.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.CommandQueue;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job row is the outbox: a gateway whose broker is unreachable still accepts the trigger, and
 * the relay publishes the command once a broker answers. The gateway here gets its own catalog and
 * a broker port nobody listens on; its own scheduled relay is slowed down so that the test runs the
 * relay against the real broker itself.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutboxRelayIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(
        registry, "kanbu_it_gateway_outbox" + System.getProperty("kanbu.it.worker-suffix", ""));
    int deadPort = GatewayTestEnvironment.closedPort();
    registry.add("spring.rabbitmq.port", () -> deadPort);
    registry.add("kanbu.outbox.relay-interval", () -> "1h");
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired TransactionTemplate transactions;
  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  @Test
  void triggerWhileBrokerIsDown_isAccepted_andTheRelayPublishesItOnceABrokerAnswers() {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response =
        client.send(client.postJson("/api/backup/trigger", "{\"type\":\"database\"}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    UUID jobId = UUID.fromString(GatewayClient.json(response).get("jobId").asString());
    BackupJob accepted = jobs.findById(jobId).orElseThrow();
    assertThat(accepted.getPublishedAt()).as("no broker confirmed it").isNull();

    ExternalServices.RabbitEndpoint rabbit = ExternalServices.rabbitmq();
    CachingConnectionFactory broker = new CachingConnectionFactory(rabbit.host(), rabbit.port());
    broker.setUsername(rabbit.user());
    broker.setPassword(rabbit.password());
    broker.setVirtualHost(rabbit.vhost());
    broker.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    broker.setPublisherReturns(true);
    try {
      RabbitAdmin admin = new RabbitAdmin(broker);
      for (Declarable declarable : KanbuTopology.declarables().getDeclarables()) {
        switch (declarable) {
          case Exchange exchange -> admin.declareExchange(exchange);
          case Queue queue -> admin.declareQueue(queue);
          case Binding binding -> admin.declareBinding(binding);
          default -> throw new IllegalStateException("unexpected declarable " + declarable);
        }
      }
      RabbitTemplate template = new RabbitTemplate(broker);
      CommandQueue queue = new CommandQueue(template, admin);
      queue.purge();
      MessageCodec codec = new MessageCodec();
      CommandOutboxRelay relay =
          new CommandOutboxRelay(
              jobs,
              new ConfirmedPublisher(template, Duration.ofSeconds(10)),
              new CommandMessages(codec),
              transactions,
              Clock.systemUTC(),
              Duration.ZERO);

      int published = relay.relayPending();

      assertThat(published).isEqualTo(1);
      assertThat(jobs.findById(jobId).orElseThrow().getPublishedAt()).isNotNull();
      Message message = queue.firstCommandOf(jobId, Duration.ofSeconds(10));
      assertThat(message).as("relayed command of job %s", jobId).isNotNull();
      BackupCommand command = codec.decodeCommand(message.getBody());
      assertThat(command.jobId()).isEqualTo(jobId);
      assertThat(relay.relayPending()).as("nothing left to relay").isZero();
      assertThat(relay.relayStale(Duration.ofMinutes(15))).as("confirmed just now").isZero();
      queue.purge();

      // the message is lost to the job (dead-lettered while the catalog was down, say): still
      // QUEUED long after the confirm, it is published again
      jdbc.update(
          "UPDATE backup_job SET published_at = now() - interval '20 minutes' WHERE id = ?", jobId);
      assertThat(relay.relayStale(Duration.ofMinutes(15))).isEqualTo(1);
      assertThat(queue.firstCommandOf(jobId, Duration.ofSeconds(10)))
          .as("command of job %s published again", jobId)
          .isNotNull();
      assertThat(jobs.findById(jobId).orElseThrow().getPublishedAt())
          .isAfter(java.time.Instant.now().minus(Duration.ofMinutes(1)));
      assertThat(relay.relayStale(Duration.ofMinutes(15))).isZero();
      queue.purge();
    } finally {
      broker.destroy();
    }
  }
}
