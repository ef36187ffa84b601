package io.kanbu.backup.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduler against the real PostgreSQL and RabbitMQ: lease reaping, the command relay and the
 * event relay, driven by a clock the test moves. The broker is shared with other test runs, so the
 * test never purges or consumes the shared queues: it binds its own exclusive queues to the same
 * exchanges and routing keys, receives copies there and matches them by {@code message_id}. Each
 * job gets its own target (one running job per target is a catalog constraint); no worker knows
 * these targets, so a worker that picks up a copy from the shared queue dead-letters it.
 */
@ExtendWith(ExternalServices.class)
@Import(MutableClockConfiguration.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "kanbu.scheduler.reaper-interval=200ms",
      "kanbu.scheduler.relay-interval=200ms",
      "kanbu.scheduler.relay-grace=5s"
    })
class SchedulerIT {

  private static final String CATALOG =
      "kanbu_it_scheduler" + System.getProperty("kanbu.it.worker-suffix", "");
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    SchedulerTestServices.register(registry, CATALOG);
  }

  @Autowired MutableClock clock;
  @Autowired BackupJobRepository jobs;
  @Autowired JobEventRecordRepository events;
  @Autowired TransactionTemplate transactions;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired MessageCodec codec;
  @LocalServerPort int port;

  private Queue commandCopies;
  private Queue eventCopies;

  @BeforeEach
  void bindCopyQueues() {
    commandCopies = copyQueue("commands");
    admin.declareQueue(commandCopies);
    admin.declareBinding(
        BindingBuilder.bind(commandCopies)
            .to(new DirectExchange(MessagingTopology.COMMANDS_EXCHANGE))
            .with(MessagingTopology.JOBS_ROUTING_KEY));
    eventCopies = copyQueue("events");
    admin.declareQueue(eventCopies);
    Binding eventBinding =
        BindingBuilder.bind(eventCopies)
            .to(new TopicExchange(MessagingTopology.EVENTS_EXCHANGE))
            .with("job.#");
    admin.declareBinding(eventBinding);
  }

  @AfterEach
  void deleteCopyQueues() {
    admin.deleteQueue(commandCopies.getName());
    admin.deleteQueue(eventCopies.getName());
  }

  @Test
  void expiredLease_withAttemptsLeft_isRequeued_andItsCommandIsPublishedAgain() {
    BackupJob job = runningJob(3, "worker-that-died", Duration.ofSeconds(30));

    clock.advance(Duration.ofMinutes(1));

    BackupJob requeued =
        await().atMost(AWAIT).until(() -> reload(job), j -> j.getStatus() == JobStatus.QUEUED);
    assertThat(requeued.getPublishedAt()).isNull();
    assertThat(requeued.getWorkerId()).isNull();
    assertThat(requeued.getLeaseUntil()).isNull();
    assertThat(requeued.getAttempts()).isEqualTo(1);
    assertThat(requeued.getError()).contains("worker-that-died").contains("re-queued");

    clock.advance(GRACE.plusSeconds(1));

    Message command = awaitMessage(commandCopies, job.getId().toString());
    BackupCommand decoded = codec.decodeCommand(command.getBody());
    assertThat(decoded.jobId()).isEqualTo(job.getId());
    assertThat(decoded.type()).isEqualTo(JobType.BACKUP_DATABASE);
    assertThat(decoded.target()).isEqualTo(job.getTarget());
    await().atMost(AWAIT).until(() -> reload(job).getPublishedAt(), Objects::nonNull);
    assertThat(reload(job).getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(events.findByJobId(job.getId())).isEmpty();
  }

  @Test
  void expiredLease_atMaxAttempts_failsTheJob_andPublishesJobFailed() {
    BackupJob job = runningJob(1, "worker-that-died", Duration.ofSeconds(30));

    clock.advance(Duration.ofMinutes(1));

    BackupJob failed =
        await().atMost(AWAIT).until(() -> reload(job), j -> j.getStatus() == JobStatus.FAILED);
    assertThat(failed.getError())
        .contains("worker 'worker-that-died' stopped renewing its lease")
        .contains("used all 1 attempts");
    assertThat(failed.getFinishedAt()).isNotNull();
    assertThat(failed.getLeaseUntil()).isNull();
    List<JobEventRecord> recorded = events.findByJobId(job.getId());
    assertThat(recorded)
        .singleElement()
        .extracting(JobEventRecord::getEventType)
        .isEqualTo("job.failed");
    JobEventRecord record = recorded.getFirst();

    clock.advance(GRACE.plusSeconds(1));

    Message message = awaitMessage(eventCopies, record.getId().toString());
    assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("job.failed");
    assertThat(message.getMessageProperties().getType()).isEqualTo("job.failed");
    assertThat(message.getMessageProperties().getHeaders())
        .containsEntry(MessagingTopology.JOB_ID_HEADER, job.getId().toString());
    JobEvent event = codec.decodeEvent(message.getBody());
    assertThat(event.id()).isEqualTo(record.getId());
    assertThat(event.type()).isEqualTo(JobEvent.JOB_FAILED);
    assertThat(event.data().jobId()).isEqualTo(job.getId());
    assertThat(event.data().status()).isEqualTo(JobStatus.FAILED);
    assertThat(event.data().target()).isEqualTo(job.getTarget());
    assertThat(event.data().attempts()).isEqualTo(1);
    assertThat(event.data().error()).isEqualTo(failed.getError());
    assertThat(event.data().backupId()).isNull();
    await()
        .atMost(AWAIT)
        .until(
            () -> events.findById(record.getId()).orElseThrow().getPublishedAt(), Objects::nonNull);
  }

  @Test
  void liveLease_isLeftRunning_whileAnExpiredOneBesideItIsReaped() {
    BackupJob live = runningJob(3, "worker-alive", Duration.ofHours(1));
    BackupJob expired = runningJob(3, "worker-that-died", Duration.ofSeconds(30));
    Instant liveLease = reload(live).getLeaseUntil();

    clock.advance(Duration.ofMinutes(1));

    // The reaper selects every expired lease in one query: once the expired job is re-queued, the
    // live one has been looked at and must be as it was.
    await().atMost(AWAIT).until(() -> reload(expired).getStatus() == JobStatus.QUEUED);
    BackupJob untouched = reload(live);
    assertThat(untouched.getStatus()).isEqualTo(JobStatus.RUNNING);
    assertThat(untouched.getWorkerId()).isEqualTo("worker-alive");
    assertThat(untouched.getLeaseUntil()).isEqualTo(liveLease);
    assertThat(untouched.getAttempts()).isEqualTo(1);
    assertThat(untouched.getError()).isNull();
    assertThat(events.findByJobId(live.getId())).isEmpty();
  }

  @Test
  void queuedJobNeverConfirmed_isRelayedAfterTheGracePeriod() {
    BackupJob job = save(queuedJob(3));

    clock.advance(GRACE.plusSeconds(1));

    Message command = awaitMessage(commandCopies, job.getId().toString());
    assertThat(command.getMessageProperties().getHeaders())
        .containsEntry(MessagingTopology.JOB_ID_HEADER, job.getId().toString());
    assertThat(codec.decodeCommand(command.getBody()).target()).isEqualTo(job.getTarget());
    BackupJob relayed =
        await().atMost(AWAIT).until(() -> reload(job), j -> j.getPublishedAt() != null);
    assertThat(relayed.getStatus()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void healthEndpoint_reportsUp_withCatalogAndBroker() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void readiness_checksTheCatalogAndTheBroker_andLivenessNeither() throws Exception {
    HttpResponse<String> readiness = get("/actuator/health/readiness");
    HttpResponse<String> liveness = get("/actuator/health/liveness");

    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("\"db\":{\"status\":\"UP\"", "\"rabbit\":{\"status\":\"UP\"")
        .doesNotContain("storage");
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(liveness.body()).contains("livenessState").doesNotContain("\"db\"");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * An exclusive queue of this test's connection, deleted after each test (and by the broker if the
   * test JVM dies). Not auto-delete: {@code receive} with a timeout subscribes and cancels, which
   * would delete an auto-delete queue after the first poll. Not {@code AnonymousQueue}: Spring AMQP
   * gives it an {@code x-queue-leader-locator} argument that the 3.10 broker refuses on classic
   * queues.
   */
  private static Queue copyQueue(String what) {
    return new Queue("kanbu.it.scheduler." + what + "." + UUID.randomUUID(), false, true, false);
  }

  private BackupJob queuedJob(int maxAttempts) {
    return BackupJob.queued(
        UUID.randomUUID(),
        JobType.BACKUP_DATABASE,
        "scheduler-it-" + UUID.randomUUID().toString().substring(0, 8),
        TriggerSource.API,
        "scheduler-it",
        null,
        maxAttempts,
        clock.instant());
  }

  /** A job whose command was confirmed and that a worker claimed with the given lease. */
  private BackupJob runningJob(int maxAttempts, String workerId, Duration lease) {
    BackupJob job = save(queuedJob(maxAttempts));
    Instant now = clock.instant();
    transactions.executeWithoutResult(
        tx -> {
          jobs.markPublished(job.getId(), now);
          assertThat(jobs.claim(job.getId(), workerId, now.plus(lease), now)).isEqualTo(1);
        });
    return job;
  }

  private BackupJob save(BackupJob job) {
    return transactions.execute(tx -> jobs.save(job));
  }

  private BackupJob reload(BackupJob job) {
    return jobs.findById(job.getId()).orElseThrow();
  }

  private Message awaitMessage(Queue queue, String messageId) {
    return await()
        .atMost(AWAIT)
        .until(
            () -> rabbit.receive(queue.getName(), 200),
            m -> m != null && messageId.equals(m.getMessageProperties().getMessageId()));
  }
}
