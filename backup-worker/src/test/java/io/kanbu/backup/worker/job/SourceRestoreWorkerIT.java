package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code RESTORE_SOURCE} jobs, source manifests' details, their adoption by {@code RESCAN} and what
 * job events carry, through the worker on the real PostgreSQL and RabbitMQ, with a catalog database
 * and a jobs queue of its own. The source tree is a git work tree; backups are encrypted.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SourceRestoreWorkerIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String CATALOG_DB = "kanbu_it_src_restore_catalog" + SUFFIX;
  static final String DUMPED_DB = "kanbu_it_src_restore_app" + SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.src.restore.jobs" + SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String PASSPHRASE = "source restore it passphrase";
  static final String OUTWARD_LINK_WARNING =
      "outward-link: symbolic link to '/etc/hostname' points outside the restore directory;"
          + " not restored";

  static PostgresEndpoint pg;
  static Path root;
  static Path tree;
  static Path storageDir;
  static String head;
  static Connection rabbit;
  static Channel channel;
  static final ConcurrentLinkedQueue<byte[]> events = new ConcurrentLinkedQueue<>();

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  final MessageCodec codec = new MessageCodec();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(DUMPED_DB);
    try (java.sql.Connection c = pg.connect(DUMPED_DB);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE gear (id int PRIMARY KEY)");
      s.execute("INSERT INTO gear SELECT generate_series(1, 10)");
    }
    root = Files.createTempDirectory("kanbu-source-restore-it");
    storageDir = Files.createDirectories(root.resolve("backups"));
    tree = Files.createDirectories(root.resolve("app"));
    Files.createDirectories(tree.resolve("src/lib"));
    Files.writeString(tree.resolve("src/main.ts"), "export const kanbu = 1;\n");
    Files.writeString(tree.resolve("src/lib/Ünïcödé.ts"), "export const u = 2;\n");
    Path script = Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    Files.createDirectories(tree.resolve("empty"));
    Files.createSymbolicLink(tree.resolve("main-link"), Path.of("src/main.ts"));
    Files.createSymbolicLink(tree.resolve("outward-link"), Path.of("/etc/hostname"));
    Files.writeString(tree.resolve(".env"), "SECRET=" + PASSPHRASE + "\n");
    git("init", "-q");
    git("add", "src", "run.sh");
    git("commit", "-qm", "first");
    head = git("rev-parse", "HEAD").strip();
    run("mkfifo", tree.resolve("a-fifo").toString()); // a warning on every source backup

    registry.add("spring.datasource.url", () -> pg.jdbcUrl(CATALOG_DB));
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
    registry.add("spring.rabbitmq.host", mq::host);
    registry.add("spring.rabbitmq.port", mq::port);
    registry.add("spring.rabbitmq.username", mq::user);
    registry.add("spring.rabbitmq.password", mq::password);
    registry.add("spring.rabbitmq.virtual-host", mq::vhost);
    registry.add("kanbu.worker.worker-id", () -> "it-source-restore-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.storage.local-path", () -> storageDir.toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(DUMPED_DB));
    registry.add("kanbu.targets.default.source-path", () -> tree.toString());
    registry.add("BACKUP_ENCRYPTION_KEY", () -> PASSPHRASE);

    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(mq.host());
    factory.setPort(mq.port());
    factory.setUsername(mq.user());
    factory.setPassword(mq.password());
    factory.setVirtualHost(mq.vhost());
    rabbit = factory.newConnection("kanbu-source-restore-it");
    channel = rabbit.createChannel();
    channel.exchangeDeclare(MessagingTopology.COMMANDS_EXCHANGE, "direct", true);
    channel.exchangeDeclare(MessagingTopology.EVENTS_EXCHANGE, "topic", true);
    channel.queueDeclare(JOBS_QUEUE, true, false, false, MessagingTopology.jobsQueueArguments());
    channel.queueBind(JOBS_QUEUE, MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE);
    channel.queuePurge(JOBS_QUEUE);
    String eventQueue = channel.queueDeclare().getQueue();
    channel.queueBind(eventQueue, MessagingTopology.EVENTS_EXCHANGE, "job.#");
    channel.basicConsume(eventQueue, true, (tag, d) -> events.add(d.getBody()), tag -> {});
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
      rabbit.close();
    }
  }

  @Test
  void sourceBackup_hasTheGitStateInItsManifest_andARestoreCommandRecreatesTheTree()
      throws Exception {
    BackupRecord backup = backUpSource();
    JsonNode manifest =
        JsonMapper.builder()
            .build()
            .readTree(Files.readAllBytes(storageDir.resolve(backup.getManifestKey())));
    assertThat(manifest.at("/source/fileCount").asLong()).isEqualTo(3);
    assertThat(manifest.at("/source/totalBytes").asLong()).isEqualTo(backup.getSourceBytes());
    assertThat(manifest.at("/source/git/commit").asString()).isEqualTo(head);
    assertThat(manifest.at("/source/git/uncommittedChanges").asBoolean()).isTrue();
    assertThat(manifest.at("/source/excludedPatterns").toString()).contains(".git/", ".env");
    Path target = root.resolve("restores/first");

    // a command from another service: no job row until the worker creates it
    BackupJob job = run("RESTORE_SOURCE", "default", backup.getId(), target.toString());

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getSourceRestoreDetails())
        .isEqualTo(new BackupJob.SourceRestoreDetails(target.toString(), null));
    assertThat(job.getWarnings()).containsExactly(OUTWARD_LINK_WARNING);
    assertThat(listing(target)).isEqualTo(listingWithoutTheOutwardLink(tree));
    assertThat(Files.readString(target.resolve("src/lib/Ünïcödé.ts")))
        .isEqualTo("export const u = 2;\n");
    assertThat(job.getSummary())
        .contains("restored into '" + target + "'")
        .contains("3 files")
        .contains("1 symbolic links");
    assertThat(job.getBackupId()).isEqualTo(backup.getId());
    JobEvent event = awaitEvent(job.getId());
    assertThat(event.type()).isEqualTo(JobEvent.JOB_SUCCEEDED);
    assertThat(event.data().jobType()).isEqualTo(JobType.RESTORE_SOURCE);
    assertThat(event.data().summary()).contains(target.toString());
    assertThat(event.data().warnings()).containsExactly(OUTWARD_LINK_WARNING);
    assertThat(stagingLeftIn(target.getParent())).isEmpty();
  }

  @Test
  void retryAfterAWorkerDiedMidRestore_removesItsStaleStaging_andReplacesTheEmptyDirectory()
      throws Exception {
    BackupRecord backup = backUpSource();
    Path target = Files.createDirectories(root.resolve("restores/retried"));
    BackupJob job = queueRestore(backup.getId(), target.toString());
    // attempt 1 was claimed by a worker that extracted part of the tree and died; its lease ran out
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "UPDATE backup_job SET status = 'RUNNING', worker_id = 'it-dead-worker',"
                    + " attempts = 1, started_at = now(), lease_until = now() - interval '1 minute'"
                    + " WHERE id = ?")) {
      s.setObject(1, job.getId());
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    Path stale =
        Files.createDirectories(
            root.resolve("restores/.retried.kanbu-restore-" + job.getId() + "-1/src"));
    Files.writeString(stale.resolve("main.ts"), "export const ka");

    publish(job.getId(), "RESTORE_SOURCE", "default", backup.getId(), target.toString());
    BackupJob retried = awaitFinished(job.getId());

    assertThat(retried.getStatus())
        .as("error: %s", retried.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(retried.getAttempts()).isEqualTo(2);
    assertThat(listing(target)).isEqualTo(listingWithoutTheOutwardLink(tree));
    assertThat(stagingLeftIn(target.getParent())).isEmpty();
  }

  @Test
  void refusedRestores_failTheJob_sayingWhy_andWriteNothing() throws Exception {
    BackupRecord source = backUpSource();
    BackupRecord database = backUp("BACKUP_DATABASE");
    Path full = Files.createDirectories(root.resolve("restores/full"));
    Files.writeString(full.resolve("keep.txt"), "keep");
    List<String> treeBefore = listing(tree);

    assertFailed(restore(source.getId(), full.toString()), "is not empty");
    // a relative directory never reaches a worker: the command schema and the gateway refuse it
    assertFailed(restore(source.getId(), tree.toString()), "is the live source tree");
    assertFailed(
        restore(source.getId(), tree.resolve("src/restored").toString()),
        "lies inside the live source tree");
    assertFailed(
        restore(database.getId(), root.resolve("restores/db").toString()), "is a database backup");
    assertFailed(
        restore(UUID.randomUUID(), root.resolve("restores/unknown").toString()),
        "is not in the catalog");

    assertThat(Files.list(full).toList()).containsExactly(full.resolve("keep.txt"));
    assertThat(listing(tree)).isEqualTo(treeBefore);
    assertThat(tree.resolve("src/restored")).doesNotExist();
    assertThat(root.resolve("restores/db")).doesNotExist();
    assertThat(root.resolve("restores/unknown")).doesNotExist();
  }

  @Test
  void backupWithAFlippedByte_failsTheRestore_recordsTheFailedVerification_andLeavesNothing()
      throws Exception {
    BackupRecord backup = backUpSource();
    BackupJob verify = run("VERIFY", "default", backup.getId(), null);
    assertThat(verify.getStatus()).as("%s", verify.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(backups.findById(backup.getId()).orElseThrow().getVerifiedAt()).isNotNull();
    try (RandomAccessFile raf =
        new RandomAccessFile(storageDir.resolve(backup.getObjectKey()).toFile(), "rw")) {
      raf.seek(raf.length() - 100);
      int b = raf.read();
      raf.seek(raf.length() - 100);
      raf.write(b ^ 0x10);
    }
    Path target = root.resolve("restores/damaged/app");

    BackupJob job = restore(backup.getId(), target.toString());

    assertFailed(job, "did not verify, nothing was restored into '" + target + "'");
    assertThat(job.getError()).contains("stored sha256 check failed", backup.getSha256Stored());
    assertThat(root.resolve("restores/damaged")).doesNotExist();
    assertThat(stagingLeftIn(root.resolve("restores"))).isEmpty();
    // recorded on the backup as a VERIFY job records it: no longer trusted
    BackupRecord damaged = backups.findById(backup.getId()).orElseThrow();
    assertThat(damaged.getVerifiedAt()).isNull();
    assertThat(damaged.getVerifyError())
        .startsWith("stored sha256 check failed")
        .contains(backup.getSha256Stored());
    assertThat(job.getError()).endsWith(damaged.getVerifyError());
  }

  @Test
  void plaintextDigestMismatch_isFoundOnlyAfterTheWholeTarWasExtracted_andLeavesNothing()
      throws Exception {
    BackupRecord backup = backUpSource();
    String wrong = "0".repeat(64);
    // the catalog records another plaintext digest; without a manifest nothing checks it earlier
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        java.sql.PreparedStatement s =
            c.prepareStatement("UPDATE backup SET sha256 = ?, manifest_key = NULL WHERE id = ?")) {
      s.setString(1, wrong);
      s.setObject(2, backup.getId());
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    Path target = root.resolve("restores/plaintext/app");

    BackupJob job = restore(backup.getId(), target.toString());

    assertFailed(job, "did not verify, nothing was restored into '" + target + "'");
    assertThat(job.getError()).contains("plaintext sha256 check failed", wrong);
    assertThat(root.resolve("restores/plaintext")).doesNotExist();
    BackupRecord damaged = backups.findById(backup.getId()).orElseThrow();
    assertThat(damaged.getVerifiedAt()).isNull();
    assertThat(damaged.getVerifyError()).startsWith("plaintext sha256 check failed");
  }

  @Test
  void rescanAfterTheCatalogLostASourceBackup_adoptsItWithFileCountBytesExclusionsAndGitState()
      throws Exception {
    BackupRecord backup = backUpSource();
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        java.sql.PreparedStatement s = c.prepareStatement("DELETE FROM backup WHERE id = ?")) {
      s.setObject(1, backup.getId());
      assertThat(s.executeUpdate()).isEqualTo(1);
    }

    BackupJob rescan = run("RESCAN", "storage", null, null);

    assertThat(rescan.getStatus()).as("%s", rescan.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord adopted = backups.findById(backup.getId()).orElseThrow();
    assertThat(adopted.getAdoptedAt()).isNotNull();
    assertThat(adopted)
        .usingRecursiveComparison()
        .comparingOnlyFields(
            "fileCount", "sourceBytes", "excludedPatterns", "gitCommit", "gitDirty", "sha256")
        .isEqualTo(backup);
    assertThat(adopted.getGitCommit()).isEqualTo(head);
  }

  @Test
  void jobsTriggeredTogether_shareTheirRecoveryPoint_inTheirEvents_whichCarryTheWarnings()
      throws Exception {
    UUID recoveryPoint = UUID.randomUUID();
    UUID databaseJob = queueInRecoveryPoint(JobType.BACKUP_DATABASE, recoveryPoint);
    UUID sourceJob = queueInRecoveryPoint(JobType.BACKUP_SOURCE, recoveryPoint);

    JobEvent database = awaitEvent(databaseJob);
    JobEvent source = awaitEvent(sourceJob);

    assertThat(database.data().recoveryPointId()).isEqualTo(recoveryPoint);
    assertThat(source.data().recoveryPointId()).isEqualTo(recoveryPoint);
    assertThat(database.data().warningCount()).isNull();
    assertThat(source.type()).isEqualTo(JobEvent.JOB_SUCCEEDED);
    assertThat(source.data().warningCount()).isEqualTo(1);
    assertThat(source.data().warnings()).singleElement().asString().startsWith("a-fifo:");
  }

  UUID queueInRecoveryPoint(JobType type, UUID recoveryPoint) throws Exception {
    Instant now = Instant.now();
    BackupJob job =
        BackupJob.queued(UUID.randomUUID(), type, "default", TriggerSource.API, "it", null, 3, now);
    job.joinRecoveryPoint(recoveryPoint);
    job.markPublished(now);
    jobs.saveAndFlush(job);
    publish(job.getId(), type.name(), "default", null, null);
    return job.getId();
  }

  BackupRecord backUpSource() throws Exception {
    return backUp("BACKUP_SOURCE");
  }

  BackupRecord backUp(String type) throws Exception {
    BackupJob job = run(type, "default", null, null);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    return backups.findById(Objects.requireNonNull(job.getBackupId())).orElseThrow();
  }

  /** A restore as the gateway asks for it: the job row first, then the command. */
  BackupJob restore(UUID backupId, String directory) throws Exception {
    BackupJob job = queueRestore(backupId, directory);
    publish(job.getId(), "RESTORE_SOURCE", "default", backupId, directory);
    return awaitFinished(job.getId());
  }

  /** The job row of a restore, queued and marked published; no command yet. */
  BackupJob queueRestore(UUID backupId, String directory) {
    Instant now = Instant.now();
    BackupJob job =
        BackupJob.queuedSourceRestore(
            backupId,
            UUID.randomUUID(),
            "default",
            new BackupJob.SourceRestoreDetails(directory, null),
            TriggerSource.API,
            "it",
            null,
            3,
            now);
    job.markPublished(now);
    return jobs.saveAndFlush(job);
  }

  BackupJob run(String type, String target, @Nullable UUID backupId, @Nullable String directory)
      throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(jobId, type, target, backupId, directory);
    return awaitFinished(jobId);
  }

  BackupJob awaitFinished(UUID jobId) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> jobs.findById(jobId).orElse(null),
            job -> job != null && job.getStatus().isFinal());
  }

  static void publish(
      UUID jobId, String type, String target, @Nullable UUID backupId, @Nullable String directory)
      throws Exception {
    String json =
        """
        {"schemaVersion":1,"jobId":"%s","type":"%s","target":"%s","trigger":"MESSAGE",
         "requestedBy":"source-restore-it","requestedAt":"%s"%s%s}
        """
            .formatted(
                jobId,
                type,
                target,
                Instant.now(),
                backupId == null ? "" : ",\"backupId\":\"" + backupId + "\"",
                directory == null ? "" : ",\"directory\":\"" + directory + "\"");
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(jobId.toString())
            .build();
    synchronized (channel) {
      channel.basicPublish(
          MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE, true, props, json.getBytes(UTF_8));
      channel.waitForConfirmsOrDie(10_000);
    }
  }

  static void assertFailed(BackupJob job, String why) {
    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).contains(why);
  }

  JobEvent awaitEvent(UUID jobId) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                events.stream()
                    .map(codec::decodeEvent)
                    .filter(e -> e.data().jobId().equals(jobId) && e.isJobEnd())
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  /**
   * Every entry of a tree but what a source backup leaves out (.git, .env, the FIFO): path, type,
   * mode, link target, size.
   */
  static List<String> listing(Path dir) throws Exception {
    return run("find", dir.toString(), "-mindepth", "1", "-printf", "%P|%y|%m|%l|%s\\n")
        .lines()
        .filter(l -> !l.startsWith(".git") && !l.startsWith(".env") && !l.startsWith("a-fifo"))
        .map(l -> l.contains("|d|") ? l.substring(0, l.lastIndexOf('|')) : l)
        .sorted()
        .toList();
  }

  /** The tree's listing but the link to /etc/hostname, which a restore skips. */
  static List<String> listingWithoutTheOutwardLink(Path dir) throws Exception {
    return listing(dir).stream().filter(l -> !l.startsWith("outward-link|")).toList();
  }

  /** Staging directories of restores left in {@code dir}; none if it does not exist. */
  static List<Path> stagingLeftIn(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> p.getFileName().toString().contains(".kanbu-restore-")).toList();
    }
  }

  static String git(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "git",
                "-C",
                tree.toString(),
                "-c",
                "user.email=it@example.org",
                "-c",
                "user.name=it"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  static String run(String... command) throws Exception {
    return SourceBackupWorkerIT.run(command);
  }
}
