package io.kanbu.backup.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.core.storage.gdrive.FakeDrive;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import io.kanbu.backup.model.catalog.RetentionPolicyRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with {@code BACKUP_STORAGE=local,gdrive} (Drive through the real Google client against
 * {@link FakeDrive}), on the real PostgreSQL and RabbitMQ: every backup gets a copy on both, a
 * storage that fails leaves the backup degraded until a {@code REPLICATE} repairs it, and
 * verification, restore, retention, deleting a backup and rescans work on every copy.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReplicationWorkerIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_replication_test_catalog" + SUFFIX;
  static final String APP_DB = "kanbu_replication_test_app" + SUFFIX;
  static final String RESTORED_DB = "kanbu_replication_test_restored" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.replication-test.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static FakeDrive drive;
  static PostgresEndpoint pg;
  static Path local;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired BackupCopyRepository copies;
  @Autowired JobEventRecordRepository events;
  @Autowired RetentionPolicyRepository policies;
  @Autowired RabbitTemplate rabbit;
  @Autowired CommandMessages messages;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(APP_DB);
    sql(
        APP_DB,
        "CREATE TABLE item (id int PRIMARY KEY, label text)",
        "INSERT INTO item SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
    drive = new FakeDrive();
    local = Files.createTempDirectory("kanbu-replication-it" + SUFFIX);
    Path key = drive.writeServiceAccountKey(Files.createTempDirectory("kanbu-replication-key"));
    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-replication-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.type", () -> "local,gdrive");
    registry.add("kanbu.worker.storage.local-path", local::toString);
    registry.add("kanbu.worker.storage.gdrive.credentials", key::toString);
    registry.add("kanbu.worker.storage.gdrive.folder-id", () -> "folder-kanbu");
    registry.add("kanbu.worker.storage.gdrive.root-url", drive::rootUrl);
    registry.add("kanbu.worker.storage.gdrive.chunk-size", () -> "262144");
    registry.add("kanbu.replication.retry-pause", () -> "1s");
    registry.add("kanbu.replication.retry-interval", () -> "300ms");
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(APP_DB));
    // its own target, so that its retention leaves the other tests' backups alone
    registry.add("kanbu.targets.pruned.database-url", () -> pg.databaseUrl(APP_DB));
    try (Connection connection = WorkerTestEnvironment.connect(mq, "kanbu-replication-it");
        Channel channel = connection.createChannel()) {
      WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    }
  }

  @AfterEach
  void driveBack() {
    drive.denyAccess(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    drive.close();
    try (java.sql.Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + APP_DB + " WITH (FORCE)");
      s.execute("DROP DATABASE IF EXISTS " + RESTORED_DB + " WITH (FORCE)");
    }
    WorkerTestEnvironment.deleteQueue(ExternalServices.rabbitmq(), JOBS_QUEUE);
  }

  @Test
  void aStorageDownDuringABackup_leavesItDegraded_andARetryRepairsItWhenTheStorageReturns() {
    drive.denyAccess(true);

    BackupRecord backup = backUp();

    assertThat(Files.exists(local.resolve(backup.getObjectKey()))).isTrue();
    BackupJob failedCopy = awaitReplication(backup.getId(), JobStatus.FAILED);
    assertThat(failedCopy.getError())
        .contains("to storage 'gdrive' failed")
        .contains("another REPLICATE tries again");
    assertThat(copyStates(backup.getId()))
        .containsEntry("local", BackupCopyStatus.AVAILABLE)
        .containsEntry("gdrive", BackupCopyStatus.FAILED);
    BackupCopy failed = copies.findByBackupIdAndStorage(backup.getId(), "gdrive").orElseThrow();
    assertThat(failed.getLastError()).contains("permission");
    assertThat(failed.getNextAttemptAt()).isNotNull();
    assertThat(eventOf(failedCopy.getId()).getPayload())
        .contains("\"degraded\":true")
        .contains("\"available\":1,\"total\":2");
    assertThat(eventOf(backup.getJobId()).getPayload()).contains("\"degraded\":true");
    assertThat(eventsOf(failedCopy.getId()))
        .extracting(JobEventRecord::getEventType)
        .contains("job.failed", "backup.degraded");

    drive.denyAccess(false);

    await()
        .atMost(TIMEOUT)
        .until(
            () -> copyStates(backup.getId()).get("gdrive"),
            status -> status == BackupCopyStatus.AVAILABLE);
    BackupJob repair = awaitReplication(backup.getId(), JobStatus.SUCCEEDED);
    assertThat(repair.getTriggerSource()).isEqualTo(TriggerSource.SCHEDULE);
    assertThat(repair.getSummary()).contains("2 of 2 copies available").doesNotContain("degraded");
    assertThat(eventOf(repair.getId()).getPayload()).contains("\"degraded\":false");
    assertThat(eventsOf(repair.getId()))
        .filteredOn(e -> e.getEventType().equals("backup.repaired"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getPayload())
                    .contains("\"backupId\":\"" + backup.getId() + "\"")
                    .contains("\"available\":2,\"total\":2"));
    assertThat(driveContent(backup.getObjectKey())).isEqualTo(readLocal(backup.getObjectKey()));
    assertThat(driveContent(backup.getManifestKey())).isEqualTo(readLocal(backup.getManifestKey()));
    BackupCopy repaired = copies.findByBackupIdAndStorage(backup.getId(), "gdrive").orElseThrow();
    assertThat(repaired.getSha256Stored()).isEqualTo(backup.getSha256Stored());
    assertThat(repaired.getVerifiedAt()).isNotNull();
  }

  @Test
  void verify_checksEveryCopy_findsACorruptedOne_andARepairRewritesIt() throws Exception {
    BackupRecord backup = backUpOnBoth();
    Path object = local.resolve(backup.getObjectKey());
    byte[] good = Files.readAllBytes(object);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x55;
    Files.write(object, bad);

    BackupJob verified = awaitFinished(send(verify(backup.getId())));

    assertThat(verified.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(verified.getWarnings())
        .singleElement()
        .asString()
        .startsWith("copy on 'local' is corrupt: stored sha256 check failed");
    assertThat(eventOf(verified.getId()).getPayload())
        .contains("\"storage\":\"local\",\"status\":\"CORRUPT\"")
        .contains("\"degraded\":true");
    assertThat(eventsOf(verified.getId()))
        .extracting(JobEventRecord::getEventType)
        .containsExactlyInAnyOrder("job.started", "verify.succeeded", "backup.degraded");
    assertThat(backups.findById(backup.getId()).orElseThrow().getVerifiedAt()).isNotNull();
    await()
        .atMost(TIMEOUT)
        .until(() -> Files.readAllBytes(object), bytes -> java.util.Arrays.equals(bytes, good));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> copyStates(backup.getId()),
            states -> states.values().stream().allMatch(s -> s == BackupCopyStatus.AVAILABLE));
  }

  @Test
  void aRestore_fallsBackToTheOtherCopy_whenTheFirstIsMissing_andSaysSo() throws Exception {
    BackupRecord backup = backUpOnBoth();
    Files.delete(local.resolve(backup.getObjectKey()));

    BackupJob restored =
        awaitFinished(
            send(
                BackupCommand.restore(
                    UUID.randomUUID(),
                    "default",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now(),
                    backup.getId(),
                    RESTORED_DB,
                    false,
                    null)));

    assertThat(restored.getStatus())
        .as("error: %s", restored.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(restored.getWarnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("copy on 'local' is missing")
                    .endsWith("read the copy on 'gdrive' instead"));
    assertThat(pg.contentFingerprint(RESTORED_DB)).isEqualTo(pg.contentFingerprint(APP_DB));
    // the missing copy is due for repair at once: a REPLICATE writes it back
    await().atMost(TIMEOUT).until(() -> Files.exists(local.resolve(backup.getObjectKey())));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> copyStates(backup.getId()).get("local"),
            status -> status == BackupCopyStatus.AVAILABLE);
  }

  @Test
  void retention_deletesEveryCopy() {
    BackupRecord older = backUpOnBoth("pruned");
    BackupRecord newer = backUpOnBoth("pruned");
    policies.save(
        new RetentionPolicyRecord(
            new RetentionPolicyRecord.Key("pruned", BackupKind.DATABASE),
            new RetentionPolicyRecord.Rules(1, 0, 0, 0, 0, 0, null, "UTC"),
            "it",
            Instant.now()));

    BackupJob prune =
        awaitFinished(
            send(
                BackupCommand.of(
                    UUID.randomUUID(),
                    JobType.PRUNE,
                    "pruned",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now())));

    assertThat(prune.getStatus()).as("error: %s", prune.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(prune.getSummary()).contains("1 deleted");
    assertThat(backups.findById(older.getId()).orElseThrow().getStatus())
        .isEqualTo(io.kanbu.backup.model.catalog.BackupStatus.DELETED);
    assertThat(copyStates(older.getId()))
        .containsOnly(
            Map.entry("local", BackupCopyStatus.DELETED),
            Map.entry("gdrive", BackupCopyStatus.DELETED));
    assertThat(Files.exists(local.resolve(older.getObjectKey()))).isFalse();
    assertThat(Files.exists(local.resolve(older.getManifestKey()))).isFalse();
    assertThat(driveKeys()).doesNotContain(older.getObjectKey(), older.getManifestKey());
    assertThat(driveKeys()).contains(newer.getObjectKey(), newer.getManifestKey());
    assertThat(Files.exists(local.resolve(newer.getObjectKey()))).isTrue();
  }

  @Test
  void deletingABackup_removesItsObjectAndManifestFromBothStorages_andKeepsTheRowsAsHistory() {
    BackupRecord backup = backUpOnBoth();

    BackupJob deletion = awaitFinished(send(deleteBackup(backup.getId())));

    assertThat(deletion.getStatus())
        .as("error: %s", deletion.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(deletion.getSummary()).contains("deleted its copies on 'local', 'gdrive'");
    BackupRecord row = backups.findById(backup.getId()).orElseThrow();
    assertThat(row.getStatus()).isEqualTo(BackupStatus.DELETED);
    assertThat(row.getDeletedByJobId()).isEqualTo(deletion.getId());
    assertThat(row.getDeletedAt()).isNotNull();
    assertThat(row.getDeleteReason()).contains("on request of 'it'");
    assertThat(copyStates(backup.getId()))
        .containsOnly(
            Map.entry("local", BackupCopyStatus.DELETED),
            Map.entry("gdrive", BackupCopyStatus.DELETED));
    assertThat(Files.exists(local.resolve(backup.getObjectKey()))).isFalse();
    assertThat(Files.exists(local.resolve(backup.getManifestKey()))).isFalse();
    assertThat(driveKeys()).doesNotContain(backup.getObjectKey(), backup.getManifestKey());
    JobEventRecord ended = eventOf(deletion.getId());
    assertThat(ended.getEventType()).isEqualTo("job.succeeded");
    assertThat(ended.getPayload())
        .contains("\"jobType\":\"DELETE_BACKUP\"")
        .contains("\"backupId\":\"" + backup.getId() + "\"")
        .contains("\"fileName\":\"" + backup.getFileName() + "\"");
  }

  @Test
  void aStorageFailingDuringADelete_failsTheJobNamingIt_keepsTheBackupOutOfUse_andAgainFinishes() {
    BackupRecord backup = backUpOnBoth();
    drive.denyAccess(true);

    BackupJob failed = awaitFinished(send(deleteBackup(backup.getId())));

    assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.getError())
        .contains("from storage 'gdrive'")
        .contains("make storage 'gdrive' reachable, then delete the backup again");
    assertThat(copyStates(backup.getId()))
        .containsOnly(
            Map.entry("local", BackupCopyStatus.DELETED),
            Map.entry("gdrive", BackupCopyStatus.AVAILABLE));
    assertThat(backups.findById(backup.getId()).orElseThrow().getStatus())
        .as("a half-deleted backup is neither available nor deleted")
        .isEqualTo(BackupStatus.DELETING);
    assertThat(Files.exists(local.resolve(backup.getObjectKey()))).isFalse();
    JobEventRecord failedEvent = eventOf(failed.getId());
    assertThat(failedEvent.getEventType()).isEqualTo("job.failed");
    assertThat(failedEvent.getPayload()).contains("\"fileName\":\"" + backup.getFileName() + "\"");
    drive.denyAccess(false);
    BackupJob verify = awaitFinished(send(verify(backup.getId())));
    assertThat(verify.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(verify.getError()).contains("is DELETING");
    assertThat(driveKeys()).contains(backup.getObjectKey());

    BackupJob again = awaitFinished(send(deleteBackup(backup.getId())));

    assertThat(again.getStatus()).as("error: %s", again.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(again.getSummary()).contains("deleted its copies on 'gdrive'");
    assertThat(backups.findById(backup.getId()).orElseThrow().getStatus())
        .isEqualTo(BackupStatus.DELETED);
    assertThat(copyStates(backup.getId()))
        .containsOnly(
            Map.entry("local", BackupCopyStatus.DELETED),
            Map.entry("gdrive", BackupCopyStatus.DELETED));
    assertThat(driveKeys()).doesNotContain(backup.getObjectKey(), backup.getManifestKey());
  }

  @Test
  void aRescan_adoptsABackupFoundOnlyOnTheSecondStorage_andCopiesItBack() throws Exception {
    BackupRecord backup = backUpOnBoth();
    Files.delete(local.resolve(backup.getObjectKey()));
    Files.delete(local.resolve(backup.getManifestKey()));
    sql(
        CATALOG_DB,
        "DELETE FROM backup_copy WHERE backup_id = '" + backup.getId() + "'",
        "DELETE FROM backup WHERE id = '" + backup.getId() + "'");

    BackupJob rescan =
        awaitFinished(
            send(
                BackupCommand.of(
                    UUID.randomUUID(),
                    JobType.RESCAN,
                    "storage",
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now())));

    assertThat(rescan.getStatus())
        .as("error: %s", rescan.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(rescan.getSummary()).contains("storage 'gdrive':").contains("1 adopted");
    BackupRecord adopted = backups.findById(backup.getId()).orElseThrow();
    assertThat(adopted.getAdoptedAt()).isNotNull();
    assertThat(adopted.getStorage()).isEqualTo("gdrive");
    assertThat(adopted.getSha256Stored()).isEqualTo(backup.getSha256Stored());
    await()
        .atMost(TIMEOUT)
        .until(
            () -> copyStates(backup.getId()),
            states ->
                states.equals(
                    Map.of(
                        "local",
                        BackupCopyStatus.AVAILABLE,
                        "gdrive",
                        BackupCopyStatus.AVAILABLE)));
    assertThat(readLocal(backup.getObjectKey())).isEqualTo(driveContent(backup.getObjectKey()));
  }

  BackupRecord backUp() {
    return backUp("default");
  }

  BackupRecord backUp(String target) {
    BackupJob job =
        awaitFinished(
            send(
                BackupCommand.of(
                    UUID.randomUUID(),
                    JobType.BACKUP_DATABASE,
                    target,
                    TriggerSource.MESSAGE,
                    "it",
                    Instant.now())));
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord backup = backups.findById(job.getBackupId()).orElseThrow();
    assertThat(backup.getStorage()).isEqualTo("local");
    return backup;
  }

  BackupRecord backUpOnBoth() {
    return backUpOnBoth("default");
  }

  BackupRecord backUpOnBoth(String target) {
    BackupRecord backup = backUp(target);
    awaitReplication(backup.getId(), JobStatus.SUCCEEDED);
    assertThat(copyStates(backup.getId()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("local", BackupCopyStatus.AVAILABLE, "gdrive", BackupCopyStatus.AVAILABLE));
    return backup;
  }

  BackupCommand deleteBackup(UUID backupId) {
    return BackupCommand.of(
        UUID.randomUUID(),
        JobType.DELETE_BACKUP,
        "default",
        TriggerSource.MESSAGE,
        "it",
        Instant.now(),
        backupId);
  }

  BackupCommand verify(UUID backupId) {
    return BackupCommand.verify(
        UUID.randomUUID(), "default", TriggerSource.MESSAGE, "it", Instant.now(), backupId, false);
  }

  Map<String, BackupCopyStatus> copyStates(UUID backupId) {
    return copies.findByBackupIdOrderByCreatedAt(backupId).stream()
        .collect(Collectors.toMap(BackupCopy::getStorage, BackupCopy::getStatus));
  }

  /** The newest REPLICATE of the backup once it ended with {@code status}. */
  BackupJob awaitReplication(UUID backupId, JobStatus status) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                replications(backupId).stream()
                    .filter(j -> j.getStatus() == status)
                    .reduce((a, b) -> b)
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  List<BackupJob> replications(UUID backupId) {
    return jobs.findAll().stream()
        .filter(j -> j.getType() == JobType.REPLICATE && backupId.equals(j.getBackupId()))
        .sorted(java.util.Comparator.comparing(BackupJob::getCreatedAt))
        .toList();
  }

  List<JobEventRecord> eventsOf(UUID jobId) {
    return events.findByJobId(jobId);
  }

  /** The end event of a job (not its job.started, nor a backup.* event beside the end). */
  JobEventRecord eventOf(UUID jobId) {
    return events.findByJobId(jobId).stream()
        .filter(e -> !e.getEventType().equals("job.started"))
        .filter(e -> e.getEventType().startsWith("job.") || e.getEventType().startsWith("verify."))
        .findFirst()
        .orElseThrow();
  }

  List<String> driveKeys() {
    return drive.files().stream().map(f -> f.appProperties().get("kanbuKey")).toList();
  }

  byte[] driveContent(String key) {
    return drive.files().stream()
        .filter(f -> key.equals(f.appProperties().get("kanbuKey")))
        .findFirst()
        .orElseThrow()
        .content();
  }

  byte[] readLocal(String key) {
    try {
      return Files.readAllBytes(local.resolve(key));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  UUID send(BackupCommand command) {
    rabbit.send(MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, messages.command(command));
    return command.jobId();
  }

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  static void sql(String db, String... statements) throws Exception {
    try (java.sql.Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
