package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import io.kanbu.backup.model.catalog.RetentionPolicyRepository;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.FiringTrigger;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code PRUNE} jobs against the real PostgreSQL and RabbitMQ: a retention policy deletes what it
 * lets go (object, manifest, catalog row marked {@code DELETED}), and never a pinned backup, the
 * newest, or one a queued job uses. Private catalog, database and jobs queue.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PruneWorkerIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_prune_test_catalog" + SUFFIX;
  static final String APP_DB = "kanbu_prune_test_app" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.prune-test.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static Path root;
  static PostgresEndpoint pg;

  @Autowired JobEventRecordRepository eventRecords;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired RetentionPolicyRepository policies;
  @Autowired BackupScheduleRepository schedules;
  @Autowired ScheduleFiringRepository firings;
  @Autowired TransactionTemplate transactions;
  @Autowired RabbitTemplate rabbit;
  @Autowired CommandMessages messages;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(APP_DB);
    try (java.sql.Connection c = pg.connect(APP_DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE item (id int PRIMARY KEY)");
      s.execute("INSERT INTO item SELECT generate_series(1, 100)");
    }
    root = Files.createTempDirectory("kanbu-prune-it");
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-prune-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.local-path", () -> root.resolve("backups").toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(APP_DB));
    try (Connection connection = WorkerTestEnvironment.connect(mq, "kanbu-prune-it");
        Channel channel = connection.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + APP_DB + " WITH (FORCE)");
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (Connection connection =
            WorkerTestEnvironment.connect(ExternalServices.rabbitmq(), "kanbu-prune-it-cleanup");
        Channel channel = connection.createChannel()) {
      channel.queueDelete(JOBS_QUEUE);
    }
  }

  @Test
  void prune_deletesWhatThePolicyLetsGo_butNeverPinnedNewestOrInUse() throws Exception {
    List<BackupRecord> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(backUp());
    }
    // newest first: [0] newest, [4] oldest
    List<BackupRecord> newestFirst = made.reversed();
    BackupRecord pinned = newestFirst.get(4);
    pinned.pin("ops@it", Instant.now());
    backups.save(pinned);
    BackupRecord inUse = newestFirst.get(3);
    jobs.save(
        BackupJob.queuedFor(
            inUse.getId(),
            UUID.randomUUID(),
            JobType.VERIFY,
            "default",
            TriggerSource.API,
            "it",
            null,
            3,
            Instant.now()));
    policies.save(
        new RetentionPolicyRecord(
            new RetentionPolicyRecord.Key("default", BackupKind.DATABASE),
            new RetentionPolicyRecord.Rules(1, 0, 0, 0, 0, 0, null, "UTC"),
            "it",
            Instant.now()));

    BackupJob prune = awaitFinished(publish(JobType.PRUNE));

    assertThat(prune.getStatus()).as("error: %s", prune.getError()).isEqualTo(JobStatus.SUCCEEDED);
    // the other test's backups (older) go too: count this test's only
    assertThat(prune.getSummary())
        .containsPattern("database: [2-9] deleted")
        .contains("kept by keepLast=1 in UTC")
        .contains("source: no retention policy, nothing deleted");
    assertAvailable(newestFirst.get(0));
    assertAvailable(inUse);
    assertAvailable(pinned);
    for (BackupRecord gone : List.of(newestFirst.get(1), newestFirst.get(2))) {
      BackupRecord row = backups.findById(gone.getId()).orElseThrow();
      assertThat(row.getStatus()).isEqualTo(BackupStatus.DELETED);
      assertThat(row.getDeleteReason()).isEqualTo("delete: beyond keepLast=1");
      assertThat(row.getDeletedAt()).isNotNull();
      assertThat(root.resolve("backups").resolve(row.getObjectKey())).doesNotExist();
      assertThat(root.resolve("backups").resolve(row.getManifestKey())).doesNotExist();
    }

    BackupJob again = awaitFinished(publish(JobType.PRUNE));

    assertThat(again.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(again.getSummary()).contains("database: 0 deleted");
  }

  @Test
  void aScheduledBackup_isFollowedByAPruneOfItsTarget() {
    BackupSchedule schedule =
        schedules.save(
            new BackupSchedule(
                UUID.randomUUID(),
                "nightly-" + UUID.randomUUID(),
                ScheduleJobKind.DATABASE,
                "default",
                CronSchedule.parse("@daily", java.time.ZoneOffset.UTC),
                true,
                MisfirePolicy.RUN_ONCE,
                null,
                "it",
                Instant.now()));
    UUID firingId = UUID.randomUUID();
    Instant now = Instant.now();
    transactions.executeWithoutResult(
        tx ->
            firings.claim(
                firingId,
                schedule.getId(),
                now,
                FiringTrigger.CRON.name(),
                FiringOutcome.JOB_CREATED.name(),
                "it",
                "it",
                now));
    BackupJob scheduled =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.SCHEDULE,
            "schedule 'nightly'",
            null,
            3,
            now);
    scheduled.startedByFiring(firingId, schedule.getName());
    jobs.save(scheduled);

    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        messages.command(
            BackupCommand.of(
                scheduled.getId(),
                JobType.BACKUP_DATABASE,
                "default",
                TriggerSource.SCHEDULE,
                "schedule 'nightly'",
                now)));
    BackupJob done = awaitFinished(scheduled.getId());

    assertThat(done.getStatus()).as("error: %s", done.getError()).isEqualTo(JobStatus.SUCCEEDED);
    // both of its events name the schedule; the end says the backup is not encrypted
    assertThat(eventRecords.findByJobId(scheduled.getId()))
        .extracting(e -> new MessageCodec().decodeEvent(e.getPayload().getBytes(UTF_8)).data())
        .hasSize(2)
        .allSatisfy(data -> assertThat(data.scheduleName()).isEqualTo(schedule.getName()))
        .anySatisfy(data -> assertThat(data.encrypted()).isFalse());
    assertThat(jobs.findAll())
        .filteredOn(
            j ->
                j.getType() == JobType.PRUNE
                    && ("after scheduled job " + scheduled.getId()).equals(j.getRequestedBy()))
        .singleElement()
        .satisfies(
            prune -> {
              assertThat(prune.getTarget()).isEqualTo("default");
              assertThat(prune.getTriggerSource()).isEqualTo(TriggerSource.SCHEDULE);
            });
  }

  void assertAvailable(BackupRecord backup) {
    BackupRecord row = backups.findById(backup.getId()).orElseThrow();
    assertThat(row.getStatus()).isEqualTo(BackupStatus.AVAILABLE);
    assertThat(root.resolve("backups").resolve(row.getObjectKey())).exists();
  }

  BackupRecord backUp() {
    BackupJob job = awaitFinished(publish(JobType.BACKUP_DATABASE));
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    return backups.findById(job.getBackupId()).orElseThrow();
  }

  UUID publish(JobType type) {
    UUID jobId = UUID.randomUUID();
    rabbit.send(
        MessagingTopology.COMMANDS_EXCHANGE,
        JOBS_QUEUE,
        messages.command(
            BackupCommand.of(jobId, type, "default", TriggerSource.MESSAGE, "it", Instant.now())));
    return jobId;
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }
}
