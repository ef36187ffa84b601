package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker against the real PostgreSQL and RabbitMQ. The broker is shared with other people's
 * tests and apps and there is no private vhost, so the worker under test takes commands from a
 * private queue declared exactly like {@code kanbu.backup.jobs} (its own routing key on the real
 * commands exchange), and the test reads dead letters and events through private queues bound to
 * the real exchanges: it neither steals nor purges anybody else's messages.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BackupWorkerIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own databases and queues. */
  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");

  static final String CATALOG_DB = "kanbu_it_worker_catalog" + SUFFIX;
  static final String SOURCE_DB = "kanbu_it_worker_source" + SUFFIX;
  static final String PW_ROLE = "kanbu_it_worker_pw";
  static final String WRONG_PASSWORD = "Wr0ng-Passw0rd";
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String JOBS_QUEUE = "kanbu.it.worker.jobs" + SUFFIX;
  static final String DEAD_COPY_QUEUE = "kanbu.it.worker.dead" + SUFFIX;

  static Path root;
  static Path storageDir;
  static Path pgBinDir;
  static Path realPgDump;
  static Connection rabbit;
  static Channel channel;
  static final List<Map.Entry<AMQP.BasicProperties, byte[]>> events = new CopyOnWriteArrayList<>();
  static final Map<String, GetResponse> deadLetters = new ConcurrentHashMap<>();

  @org.springframework.boot.test.web.server.LocalServerPort int httpPort;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired JobEventRecordRepository eventRecords;

  private final MessageCodec codec = new MessageCodec();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    PostgresEndpoint pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(SOURCE_DB);
    try (java.sql.Connection c = pg.connect(SOURCE_DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE widget (id int PRIMARY KEY, name text, payload jsonb)");
      s.execute(
          "INSERT INTO widget SELECT g, 'widget ' || g || ' ✓', jsonb_build_object('g', g)"
              + " FROM generate_series(1, 5000) g");
    }
    createPasswordRole(pg);

    root = Files.createTempDirectory("kanbu-worker-it");
    storageDir = Files.createDirectories(root.resolve("backups"));
    pgBinDir = Files.createDirectories(root.resolve("pgbin"));
    realPgDump =
        io.kanbu.backup.core.source.PgToolLocator.systemDefault().findAll("pg_dump").stream()
            .max(
                java.util.Comparator.comparing(
                    (io.kanbu.backup.core.source.PgTool t) -> t.version()))
            .orElseThrow()
            .path();
    installPgDump("#!/bin/sh\nexec '" + realPgDump + "' \"$@\"\n");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.lease-duration", () -> "10s");
    registry.add("kanbu.worker.lease-renewal-interval", () -> "2s");
    registry.add("kanbu.worker.event-relay-grace", () -> "1s");
    registry.add("kanbu.worker.event-relay-interval", () -> "1s");
    registry.add("kanbu.worker.pg-bin-dirs", () -> pgBinDir.toString());
    // these tests are about direct mode; auto mode would ask the machine's docker (DockerModeIT)
    registry.add("kanbu.postgres.mode", () -> "direct");
    registry.add("kanbu.worker.storage.local-path", () -> storageDir.toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(SOURCE_DB));
    registry.add(
        "kanbu.targets.unreachable.database-url",
        () -> "postgresql://postgres@127.0.0.1:" + closedPort + "/" + SOURCE_DB);
    registry.add(
        "kanbu.targets.wrongpw.database-url",
        () ->
            "postgresql://"
                + PW_ROLE
                + ":"
                + WRONG_PASSWORD
                + "@"
                + pg.host()
                + ":"
                + pg.port()
                + "/"
                + SOURCE_DB);

    openRabbit(mq);
  }

  /**
   * A role whose password the server checks: it joins kanbu_password_auth, which the test server's
   * pg_hba.conf must send to scram-sha-256 (a trusting server would accept any password).
   */
  static void createPasswordRole(PostgresEndpoint pg) throws Exception {
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='kanbu_password_auth')"
              + " THEN CREATE ROLE kanbu_password_auth NOLOGIN; END IF; END$$");
      s.execute(
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='"
              + PW_ROLE
              + "') THEN CREATE ROLE "
              + PW_ROLE
              + " LOGIN; END IF; END$$");
      s.execute("ALTER ROLE " + PW_ROLE + " LOGIN PASSWORD 'the-right-one'");
      s.execute("GRANT kanbu_password_auth TO " + PW_ROLE);
    }
    try {
      java.sql.DriverManager.getConnection(pg.jdbcUrl(SOURCE_DB), PW_ROLE, WRONG_PASSWORD).close();
      throw new IllegalStateException(
          "the test PostgreSQL accepted a wrong password for '"
              + PW_ROLE
              + "'; add 'host all +kanbu_password_auth 127.0.0.1/32 scram-sha-256' before the"
              + " trust lines of its pg_hba.conf and reload it");
    } catch (java.sql.SQLException expected) {
      assertThat(expected.getSQLState()).isIn("28P01", "28000");
    }
  }

  static void installPgDump(String script) throws IOException {
    Path tmp = pgBinDir.resolve(".pg_dump.new");
    Files.writeString(tmp, script);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    Files.move(tmp, pgBinDir.resolve("pg_dump"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Plain RabbitMQ client: declares the private queues, listens to events, publishes commands. The
   * private jobs queue is durable and stays (empty) on the broker for the next run.
   */
  static void openRabbit(RabbitEndpoint mq) throws Exception {
    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-worker-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.exchangeDeclare(MessagingTopology.DEAD_LETTER_EXCHANGE, "direct", true);
    channel.exchangeDeclare(MessagingTopology.EVENTS_EXCHANGE, "topic", true);
    // a copy of every dead letter; the shared dead-letter queue itself is left alone
    channel.queueDeclare(DEAD_COPY_QUEUE, false, false, false, Map.of());
    channel.queueBind(
        DEAD_COPY_QUEUE,
        MessagingTopology.DEAD_LETTER_EXCHANGE,
        MessagingTopology.DEAD_LETTER_QUEUE);
    channel.queuePurge(DEAD_COPY_QUEUE);
    String eventQueue = channel.queueDeclare().getQueue();
    channel.queueBind(eventQueue, MessagingTopology.EVENTS_EXCHANGE, "job.#");
    channel.basicConsume(
        eventQueue,
        true,
        (tag, delivery) -> events.add(Map.entry(delivery.getProperties(), delivery.getBody())),
        tag -> {});
    channel.confirmSelect();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (rabbit != null) {
      channel.queueDelete(DEAD_COPY_QUEUE);
      rabbit.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  static String commandJson(UUID jobId, String type, String target) {
    return """
        {"schemaVersion":1,"jobId":"%s","type":"%s","target":"%s","trigger":"MESSAGE",
         "requestedBy":"another-service","requestedAt":"%s"}
        """
        .formatted(jobId, type, target, Instant.now());
  }

  /** Publishes like another service would, with nothing but the plain client. */
  static void publish(String messageId, byte[] body) throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(messageId)
            .build();
    synchronized (channel) {
      channel.basicPublish(MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, true, props, body);
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  static void publishCommand(UUID jobId, String target) throws Exception {
    publish(jobId.toString(), commandJson(jobId, "BACKUP_DATABASE", target).getBytes(UTF_8));
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  /** The end event of a job (not its {@code job.started}). */
  static JobEvent awaitEvent(UUID jobId, MessageCodec codec) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                events.stream()
                    .map(e -> codec.decodeEvent(e.getValue()))
                    .filter(e -> e.data().jobId().equals(jobId) && e.isJobEnd())
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  static Set<Path> storedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve("backups"))) {
      return files.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }

  static long jobsQueueDepth() throws IOException {
    synchronized (channel) {
      return channel.queueDeclarePassive(JOBS_QUEUE).getMessageCount();
    }
  }

  static void drainDeadLetters() throws IOException {
    synchronized (channel) {
      GetResponse r;
      while ((r = channel.basicGet(DEAD_COPY_QUEUE, true)) != null) {
        String id = r.getProps().getMessageId();
        deadLetters.put(id == null ? "none-" + UUID.randomUUID() : id, r);
      }
    }
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  // ---------------------------------------------------------------- tests

  @Test
  void commandFromPlainClient_makesAGzippedDump_whoseSha256MatchesTheCatalog_andASucceededEvent()
      throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "default");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getAttempts()).isEqualTo(1);
    assertThat(job.getWorkerId()).isEqualTo("it-worker");
    assertThat(job.getRequestedBy()).isEqualTo("another-service");
    List<BackupRecord> records = backups.findByJobId(jobId);
    assertThat(records).hasSize(1);
    BackupRecord record = records.getFirst();
    assertThat(job.getBackupId()).isEqualTo(record.getId());
    assertThat(record.getObjectKey()).isEqualTo("default/database/" + record.getFileName());
    assertThat(record.getFileName())
        .matches(
            "kanbu_backup_\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d_"
                + record.getId().toString().substring(0, 8)
                + "\\.sql\\.gz");
    Path file = storageDir.resolve(record.getObjectKey());
    byte[] stored = Files.readAllBytes(file);
    assertThat(record.getStoredSize()).isEqualTo(stored.length);
    assertThat(record.getSha256Stored()).isEqualTo(sha256(stored));
    assertThat(record.getSha256()).isEqualTo(sha256(stored));
    assertThat(record.getPgServerVersion()).isNotBlank();
    assertThat(record.getPgDumpVersion()).isNotBlank();
    String sql;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = new String(in.readAllBytes(), UTF_8);
    }
    assertThat((long) sql.getBytes(UTF_8).length).isEqualTo(record.getRawSize());
    assertThat(sql)
        .contains("PostgreSQL database dump complete")
        .contains("DROP TABLE IF EXISTS public.widget")
        .contains("widget 4999 ✓");

    JobEvent event = awaitEvent(jobId, codec);
    assertThat(event.type()).isEqualTo(JobEvent.JOB_SUCCEEDED);
    assertThat(event.data().backupId()).isEqualTo(record.getId());
    assertThat(event.data().sha256()).isEqualTo(record.getSha256());
    assertThat(event.data().storedBytes()).isEqualTo(record.getStoredSize());
    assertThat(event.data().fileName()).isEqualTo(record.getFileName());
    // job.started came first, routed by its type, with the job's identity and no outcome
    List<JobEvent> ofJob =
        events.stream()
            .map(e -> codec.decodeEvent(e.getValue()))
            .filter(e -> e.data().jobId().equals(jobId))
            .toList();
    assertThat(ofJob)
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.JOB_STARTED, JobEvent.JOB_SUCCEEDED);
    JobEvent started = ofJob.getFirst();
    assertThat(started.data().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(started.data().attempts()).isEqualTo(1);
    assertThat(started.data().target()).isEqualTo(event.data().target());
    assertThat(started.data().sha256()).isNull();
    assertThat(started.occurredAt()).isBeforeOrEqualTo(event.occurredAt());
    await()
        .atMost(TIMEOUT)
        .until(
            () -> eventRecords.findByJobId(jobId),
            list -> list.size() == 2 && list.stream().allMatch(r -> r.getPublishedAt() != null));
  }

  @Test
  void duplicateCommands_makeOneBackup() throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "default");
    publishCommand(jobId, "default");
    awaitFinished(jobId);
    publishCommand(jobId, "default");
    await().atMost(TIMEOUT).until(() -> jobsQueueDepth() == 0);
    // the last duplicate is taken from the queue before it is dropped; give it a moment
    Thread.sleep(1000);

    BackupJob job = jobs.findById(jobId).orElseThrow();
    assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getAttempts()).isEqualTo(1);
    assertThat(backups.findByJobId(jobId)).hasSize(1);
    assertThat(eventRecords.findByJobId(jobId))
        .extracting(JobEventRecord::getEventType)
        .containsExactlyInAnyOrder(JobEvent.JOB_STARTED, JobEvent.JOB_SUCCEEDED);
  }

  @Test
  void poisonMessages_goToTheDeadLetterQueueWithTheirReason_andTheNextGoodCommandRuns()
      throws Exception {
    UUID unknownTargetJob = UUID.randomUUID();
    UUID unsupportedTypeJob = UUID.randomUUID();
    Map<String, byte[]> poison =
        Map.of(
            unsupportedTypeJob.toString(),
            commandJson(unsupportedTypeJob, "VERIFY", "default").getBytes(UTF_8),
            "poison-not-json",
            "this is not json".getBytes(UTF_8),
            "poison-unknown-type",
            commandJson(UUID.randomUUID(), "FORMAT_DISK", "default").getBytes(UTF_8),
            "poison-missing-field",
            """
                {"schemaVersion":1,"type":"BACKUP_DATABASE","target":"default","trigger":"MESSAGE",
                 "requestedAt":"2026-11-26T10:15:30Z"}
                """
                .getBytes(UTF_8),
            unknownTargetJob.toString(),
            commandJson(unknownTargetJob, "BACKUP_DATABASE", "nosuchtarget").getBytes(UTF_8));
    for (Map.Entry<String, byte[]> p : poison.entrySet()) {
      publish(p.getKey(), p.getValue());
    }
    UUID good = UUID.randomUUID();
    publishCommand(good, "default");

    assertThat(awaitFinished(good).getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              drainDeadLetters();
              assertThat(deadLetters).containsKeys(poison.keySet().toArray(String[]::new));
            });
    Map<String, String> expectedReason =
        Map.of(
            "poison-not-json",
            "not valid JSON",
            "poison-unknown-type",
            "type",
            "poison-missing-field",
            "jobId",
            unknownTargetJob.toString(),
            "unknown target 'nosuchtarget'");
    expectedReason.forEach(
        (id, reason) -> {
          GetResponse dead = deadLetters.get(id);
          assertThat(dead.getBody()).as(id).isEqualTo(poison.get(id));
          Object header =
              dead.getProps().getHeaders().get(MessagingTopology.REJECTION_REASON_HEADER);
          assertThat(header).as(id).isNotNull();
          assertThat(header.toString()).as(id).contains(reason);
        });
    assertThat(jobs.findById(unknownTargetJob)).isEmpty();
    assertThat(jobs.findById(unsupportedTypeJob)).isEmpty();
  }

  @Test
  void unreachableDatabase_failsTheJob_withAClearError_aFailedEvent_andNoObject() throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "unreachable");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError())
        .contains("target 'unreachable'")
        .contains("refused the connection")
        .contains("KANBU_TARGETS_UNREACHABLE_DATABASE_URL");
    assertThat(backups.findByJobId(jobId)).isEmpty();
    assertThat(storageDir.resolve("unreachable")).doesNotExist();
    JobEvent event = awaitEvent(jobId, codec);
    assertThat(event.type()).isEqualTo(JobEvent.JOB_FAILED);
    assertThat(event.data().error()).isEqualTo(job.getError());
    assertThat(event.data().backupId()).isNull();
  }

  @Test
  void wrongPassword_failsTheJob_withAClearError_thatHidesThePassword() throws Exception {
    UUID jobId = UUID.randomUUID();

    publishCommand(jobId, "wrongpw");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError())
        .contains("authentication failed for user '" + PW_ROLE + "'")
        .contains("KANBU_TARGETS_WRONGPW_DATABASE_URL")
        .doesNotContain(WRONG_PASSWORD);
    assertThat(storageDir.resolve("wrongpw")).doesNotExist();
    assertThat(awaitEvent(jobId, codec).data().error()).doesNotContain(WRONG_PASSWORD);
  }

  @Test
  void pgDumpTooOld_failsTheJob_namingTheVersionAndThePackage_andStoresNothing() throws Exception {
    Set<Path> before = storedFiles();
    installPgDump("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    try {
      UUID jobId = UUID.randomUUID();

      publishCommand(jobId, "default");

      BackupJob job = awaitFinished(jobId);
      assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
      assertThat(job.getError()).contains("9.6.24").contains("install postgresql-client-");
      assertThat(storedFiles()).isEqualTo(before);
    } finally {
      installPgDump("#!/bin/sh\nexec '" + realPgDump + "' \"$@\"\n");
    }
  }

  @Test
  void pgDumpDyingMidStream_failsTheJob_withItsStderr_andLeavesNoPartialObject() throws Exception {
    Set<Path> before = storedFiles();
    installPgDump(
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then exec '"
            + realPgDump
            + "' --version; fi\nhead -c 2000000 /dev/urandom\n"
            + "echo 'pg_dump: error: Dumping the contents of table \"widget\" failed' >&2\nexit 1\n");
    try {
      UUID jobId = UUID.randomUUID();

      publishCommand(jobId, "default");

      BackupJob job = awaitFinished(jobId);
      assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
      assertThat(job.getError())
          .contains("failed with exit code 1")
          .contains("Dumping the contents of table");
      assertThat(storedFiles()).isEqualTo(before);
      try (Stream<Path> all = Files.walk(storageDir)) {
        assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("tmp"));
      }
    } finally {
      installPgDump("#!/bin/sh\nexec '" + realPgDump + "' \"$@\"\n");
    }
  }

  @Test
  void unwritableStorage_failsTheJob_namingBackupLocalPath_andStoresNothing() throws Exception {
    // tests run as root, which ignores permission bits; a file where a directory must be blocks
    Path targetDir = storageDir.resolve("default");
    Path parked = root.resolve("parked-default");
    if (Files.exists(targetDir)) {
      Files.move(targetDir, parked);
    }
    Files.writeString(targetDir, "not a directory");
    try {
      UUID jobId = UUID.randomUUID();

      publishCommand(jobId, "default");

      BackupJob job = awaitFinished(jobId);
      assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
      assertThat(job.getError()).contains("BACKUP_LOCAL_PATH").contains(storageDir.toString());
      assertThat(backups.findByJobId(jobId)).isEmpty();
      assertThat(Files.readString(targetDir)).isEqualTo("not a directory");
    } finally {
      Files.delete(targetDir);
      if (Files.exists(parked)) {
        Files.move(parked, targetDir);
      }
    }
  }

  @Test
  void jobRowCreatedByTheGateway_isClaimedAndRun_keepingItsTrigger() throws Exception {
    UUID jobId = UUID.randomUUID();
    jobs.save(
        BackupJob.queued(
            jobId,
            io.kanbu.backup.model.job.JobType.BACKUP_DATABASE,
            "default",
            io.kanbu.backup.model.job.TriggerSource.API,
            "api-key",
            "idem-" + jobId,
            3,
            Instant.now()));

    publishCommand(jobId, "default");

    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getTriggerSource()).isEqualTo(io.kanbu.backup.model.job.TriggerSource.API);
    assertThat(job.getIdempotencyKey()).isEqualTo("idem-" + jobId);
  }

  @Test
  void longRunningJob_renewsItsLeaseWhileItRuns() throws Exception {
    // the real pg_dump, then 6 s with stdout still open: the pipeline waits, the lease must not
    installPgDump(
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then exec '"
            + realPgDump
            + "' --version; fi\n'"
            + realPgDump
            + "' \"$@\" || exit $?\nsleep 6\n");
    try {
      UUID jobId = UUID.randomUUID();

      publishCommand(jobId, "default");

      Instant firstLease =
          await()
              .atMost(TIMEOUT)
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> jobs.findById(jobId).map(BackupJob::getLeaseUntil).orElse(null),
                  java.util.Objects::nonNull);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> jobs.findById(jobId).map(BackupJob::getLeaseUntil).orElse(null),
              lease -> lease != null && lease.isAfter(firstLease));
      BackupJob job = awaitFinished(jobId);
      assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.getLeaseUntil()).as("a finished job holds no lease").isNull();
      assertThat(job.duration()).isGreaterThan(Duration.ofSeconds(5));
    } finally {
      installPgDump("#!/bin/sh\nexec '" + realPgDump + "' \"$@\"\n");
    }
  }

  @Test
  void unpublishedEvent_isPublishedByTheRelay() throws Exception {
    // an event whose first publication never happened (broker down, worker died after commit)
    UUID jobId = UUID.randomUUID();
    Instant now = Instant.now();
    BackupJob job =
        BackupJob.queued(
            jobId,
            io.kanbu.backup.model.job.JobType.BACKUP_DATABASE,
            "unreachable",
            io.kanbu.backup.model.job.TriggerSource.API,
            null,
            null,
            1,
            now);
    job.fail("failed while the broker was away", now);
    jobs.save(job);
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            now,
            new JobEvent.Data(
                jobId,
                job.getType(),
                "unreachable",
                JobStatus.FAILED,
                job.getTriggerSource(),
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "failed while the broker was away"));
    eventRecords.save(
        new io.kanbu.backup.model.catalog.JobEventRecord(
            event.id(), jobId, event.type(), new String(codec.encode(event), UTF_8), now));

    JobEvent received = awaitEvent(jobId, codec);

    assertThat(received.id()).isEqualTo(event.id());
    assertThat(received.data().error()).isEqualTo("failed while the broker was away");
    await()
        .atMost(TIMEOUT)
        .until(
            () -> eventRecords.findById(event.id()).orElseThrow().getPublishedAt(),
            java.util.Objects::nonNull);
  }

  @Test
  void health_isUp_forTheContainerHealthcheck() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"");
  }
}
