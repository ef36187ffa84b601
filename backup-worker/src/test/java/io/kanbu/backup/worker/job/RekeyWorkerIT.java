package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.SourceBackupOptions;
import io.kanbu.backup.core.SourceBackupOutcome;
import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.rekey.BackupRekeyer;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
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
 * Key rotation on the real PostgreSQL and RabbitMQ. The worker's primary key is B ({@code
 * ops-2027}, a raw key) and key A ({@code ops-2026}, a passphrase) is an old key. Backups under A
 * are made by backup-core directly into the worker's storage, as an earlier worker with primary A
 * would have, and adopted into the catalog by a {@code RESCAN}; then {@code REKEY} commands go
 * through the queue. Every test leaves no available backup under A behind, so each rekey of "every
 * backup" sees only the backups of its own test. Private catalog and queue (see {@link
 * BackupWorkerIT}).
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RekeyWorkerIT {

  static final String CATALOG_DB = "kanbu_it_rekey_worker_catalog" + BackupWorkerIT.SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.rekey.worker.jobs" + BackupWorkerIT.SUFFIX;
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final Argon2idParameters FAST = new Argon2idParameters(1024, 1, 1);

  static final KeyringEntry KEY_A = KeyringEntry.of("ops-2026", "the passphrase of 2026");
  static final String HEX_B = "5f1e2d3c4b5a69788796a5b4c3d2e1f05f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final KeyringEntry KEY_B = KeyringEntry.of("ops-2027", HEX_B);

  /** A key the worker never had. */
  static final KeyringEntry KEY_C = KeyringEntry.of("ops-2019", "a key nobody kept");

  static Path root;
  static Path storageDir;
  static Connection rabbit;
  static Channel channel;
  static PostgresEndpoint pg;

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired JobEventRecordRepository eventRecords;

  private final ManifestCodec manifests = new ManifestCodec();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    root = Files.createTempDirectory("kanbu-rekey-it");
    storageDir = Files.createDirectories(root.resolve("backups"));
    Files.createDirectories(root.resolve("app"));

    registry.add("spring.datasource.url", () -> pg.jdbcUrl(CATALOG_DB));
    registry.add("spring.datasource.username", pg::user);
    registry.add("spring.datasource.password", pg::password);
    registry.add("spring.rabbitmq.host", mq::host);
    registry.add("spring.rabbitmq.port", mq::port);
    registry.add("spring.rabbitmq.username", mq::user);
    registry.add("spring.rabbitmq.password", mq::password);
    registry.add("spring.rabbitmq.virtual-host", mq::vhost);
    registry.add("kanbu.worker.worker-id", () -> "it-rekey-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.event-relay-grace", () -> "1s");
    registry.add("kanbu.worker.storage.local-path", () -> storageDir.toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(CATALOG_DB));
    registry.add("kanbu.targets.default.source-path", () -> root.resolve("app").toString());
    registry.add("BACKUP_ENCRYPTION_KEY", () -> HEX_B);
    registry.add("BACKUP_ENCRYPTION_KEY_ID", () -> KEY_B.id());
    registry.add("BACKUP_ENCRYPTION_OLD_KEYS", () -> KEY_A.id() + ":the passphrase of 2026");

    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(mq.host());
    factory.setPort(mq.port());
    factory.setUsername(mq.user());
    factory.setPassword(mq.password());
    factory.setVirtualHost(mq.vhost());
    rabbit = factory.newConnection("kanbu-rekey-it");
    channel = rabbit.createChannel();
    channel.exchangeDeclare(MessagingTopology.COMMANDS_EXCHANGE, "direct", true);
    channel.queueDeclare(JOBS_QUEUE, true, false, false, MessagingTopology.jobsQueueArguments());
    channel.queueBind(JOBS_QUEUE, MessagingTopology.COMMANDS_EXCHANGE, JOBS_QUEUE);
    channel.queuePurge(JOBS_QUEUE);
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

  // --- fixtures -------------------------------------------------------------------------------

  /** An encrypted source backup (four 1 MiB segments) made by backup-core under {@code key}. */
  static SourceBackupOutcome backupUnder(KeyringEntry key) throws Exception {
    UUID backupId = UUID.randomUUID();
    Path tree = Files.createDirectories(root.resolve("trees").resolve(backupId.toString()));
    Files.writeString(tree.resolve("README.md"), "rekey sentinel " + backupId + "\n");
    byte[] random = new byte[3_000_000];
    new Random(backupId.getLeastSignificantBits()).nextBytes(random);
    Files.write(tree.resolve("blob.bin"), random);
    SourceBackupOptions options =
        SourceBackupOptions.of("default", "KANBU_SOURCE_PATH")
            .withIds(backupId, UUID.randomUUID())
            .withEncryption(new EnvelopeEncryption(Keyring.of(key), FAST));
    return new SourceBackup(
            new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC())
        .backup(
            tree,
            new LocalStorageBackend(storageDir),
            "default/source/" + BackupFileNames.source(Instant.now(), backupId, true),
            options);
  }

  static void publish(String type, String target, UUID jobId, UUID backupId) throws Exception {
    String json =
        """
        {"schemaVersion":1,"jobId":"%s","type":"%s","target":"%s","trigger":"MESSAGE",
         "requestedAt":"%s"%s}
        """
            .formatted(
                jobId,
                type,
                target,
                Instant.now(),
                backupId == null ? "" : ",\"backupId\":\"" + backupId + "\"");
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

  BackupJob run(String type, String target, UUID backupId) throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(type, target, jobId, backupId);
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> jobs.findById(jobId).orElse(null),
            job -> job != null && job.getStatus().isFinal());
  }

  /** Adopts the backups made by backup-core into the catalog. */
  void rescan() throws Exception {
    BackupJob rescan = run("RESCAN", "storage", null);
    assertThat(rescan.getStatus())
        .as("error: %s", rescan.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
  }

  BackupJob rekeyAll() throws Exception {
    return run("REKEY", "storage", null);
  }

  BackupJob rekeyOne(UUID backupId) throws Exception {
    return run("REKEY", "default", backupId);
  }

  BackupJob verify(UUID backupId) throws Exception {
    return run("VERIFY", "default", backupId);
  }

  BackupRecord row(SourceBackupOutcome backup) {
    return backups.findById(backup.manifest().backupId()).orElseThrow();
  }

  Path file(SourceBackupOutcome backup) {
    return storageDir.resolve(backup.objectKey());
  }

  BackupManifest storedManifest(SourceBackupOutcome backup) throws Exception {
    return manifests.decode(
        Files.readAllBytes(storageDir.resolve(backup.manifestKey())), backup.manifestKey());
  }

  /** Removes a backup the later tests must not see (object, manifest and row). */
  void forget(SourceBackupOutcome backup) throws Exception {
    backups.deleteById(backup.manifest().backupId());
    Files.deleteIfExists(file(backup));
    Files.deleteIfExists(storageDir.resolve(backup.manifestKey()));
  }

  static int headerLength(byte[] object) throws Exception {
    return EnvelopeEncryption.readHeader(new ByteArrayInputStream(object)).length();
  }

  static byte[] dataPart(byte[] object) throws Exception {
    return Arrays.copyOfRange(object, headerLength(object), object.length);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** Asserts that the stored object, its manifest and its row all say key B, and agree. */
  void assertRekeyedToB(SourceBackupOutcome backup, byte[] before) throws Exception {
    byte[] after = Files.readAllBytes(file(backup));
    assertThat(EnvelopeEncryption.readHeader(new ByteArrayInputStream(after)).keyId())
        .isEqualTo(KEY_B.id());
    assertThat(dataPart(after)).as("data segments byte-identical").isEqualTo(dataPart(before));
    BackupManifest manifest = storedManifest(backup);
    assertThat(manifest.encryption().keyId()).isEqualTo(KEY_B.id());
    assertThat(manifest.sha256Stored()).isEqualTo(sha256(after));
    assertThat(manifest.sizes().stored()).isEqualTo(after.length);
    assertThat(manifest.sha256()).isEqualTo(backup.manifest().sha256());
    assertThat(manifest.fileName()).isEqualTo(backup.fileName());
    BackupRecord row = row(backup);
    assertThat(row.getKeyId()).isEqualTo(KEY_B.id());
    assertThat(row.getSha256Stored()).isEqualTo(sha256(after));
    assertThat(row.getStoredSize()).isEqualTo(after.length);
    assertThat(row.getSha256()).isEqualTo(backup.manifest().sha256());
    assertThat(row.getObjectKey()).isEqualTo(backup.objectKey());
  }

  /** Decrypts the stored file with a keyring that holds only key B and checks what comes out. */
  void assertDecryptsWithOnlyB(SourceBackupOutcome backup) throws Exception {
    EnvelopeEncryption onlyB = new EnvelopeEncryption(Keyring.of(KEY_B));
    UUID backupId = backup.manifest().backupId();
    MessageDigest gzipDigest = MessageDigest.getInstance("SHA-256");
    byte[] tar;
    try (InputStream in =
        new GZIPInputStream(
            new DigestInputStream(
                onlyB.decrypt(Files.newInputStream(file(backup)), backupId), gzipDigest))) {
      tar = in.readAllBytes();
    }
    assertThat(HexFormat.of().formatHex(gzipDigest.digest())).isEqualTo(backup.manifest().sha256());
    assertThat(new String(tar, UTF_8)).contains("rekey sentinel " + backupId);
  }

  // --- tests ----------------------------------------------------------------------------------

  @Test
  void rekeyOfEveryBackup_rewrapsUnderTheNewKey_dataUntouched_andOnlyTheNewKeyDecrypts()
      throws Exception {
    SourceBackupOutcome first = backupUnder(KEY_A);
    SourceBackupOutcome second = backupUnder(KEY_A);
    byte[] firstBefore = Files.readAllBytes(file(first));
    byte[] secondBefore = Files.readAllBytes(file(second));
    rescan();
    assertThat(row(first).getKeyId()).isEqualTo(KEY_A.id());

    BackupJob job = rekeyAll();

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getLockKey()).isEqualTo("storage:rekey");
    assertThat(job.getSummary())
        .contains("key 'ops-2027'")
        .contains("2 backups to look at, 2 rekeyed, 0 already current")
        .contains("0 skipped");
    assertThat(job.getWarnings()).isEmpty();
    assertThat(job.getFinishedAt()).isNotNull();
    assertThat(eventRecords.findByJobId(job.getId()))
        .extracting(e -> e.getEventType())
        .containsExactlyInAnyOrder("job.started", "job.succeeded");
    assertRekeyedToB(first, firstBefore);
    assertRekeyedToB(second, secondBefore);
    assertThat(headerLength(Files.readAllBytes(file(first))))
        .as("raw key header is shorter than the passphrase header")
        .isLessThan(headerLength(firstBefore));
    try (Stream<Path> files = Files.walk(storageDir)) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(".kanbu-tmp-"));
    }

    BackupJob verification = verify(first.manifest().backupId());
    assertThat(verification.getStatus())
        .as("error: %s", verification.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertDecryptsWithOnlyB(first);
    assertDecryptsWithOnlyB(second);

    BackupJob again = rekeyAll();
    assertThat(again.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(again.getSummary()).contains("0 backups to look at");
  }

  @Test
  void rekeyOfOneBackup_rewritesOnlyThatOne_andAgainFindsItCurrent() throws Exception {
    SourceBackupOutcome chosen = backupUnder(KEY_A);
    SourceBackupOutcome other = backupUnder(KEY_A);
    byte[] chosenBefore = Files.readAllBytes(file(chosen));
    byte[] otherBefore = Files.readAllBytes(file(other));
    rescan();

    BackupJob job = rekeyOne(chosen.manifest().backupId());

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getBackupId()).isEqualTo(chosen.manifest().backupId());
    assertThat(job.getSummary()).contains("1 backups to look at, 1 rekeyed");
    assertRekeyedToB(chosen, chosenBefore);
    assertThat(Files.readAllBytes(file(other))).isEqualTo(otherBefore);
    assertThat(row(other).getKeyId()).isEqualTo(KEY_A.id());
    assertThat(storedManifest(other).encryption().keyId()).isEqualTo(KEY_A.id());

    BackupJob again = rekeyOne(chosen.manifest().backupId());
    assertThat(again.getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(again.getSummary()).contains("1 already current");
    assertThat(Files.readAllBytes(file(chosen))).isNotEqualTo(chosenBefore);

    BackupJob unknown = rekeyOne(UUID.randomUUID());
    assertThat(unknown.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(unknown.getError()).contains("is not in the catalog");

    assertThat(rekeyOne(other.manifest().backupId()).getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertRekeyedToB(other, otherBefore);
  }

  @Test
  void damagedAndUnknownKeyBackups_areSkippedWithWarnings_untouched_andTheJobFails()
      throws Exception {
    SourceBackupOutcome damaged = backupUnder(KEY_A);
    SourceBackupOutcome foreign = backupUnder(KEY_C);
    Path damagedFile = file(damaged);
    byte[] bytes = Files.readAllBytes(damagedFile);
    bytes[bytes.length / 2] ^= 0x40; // a data byte: only the stored digest can tell
    Files.write(damagedFile, bytes);
    byte[] foreignBefore = Files.readAllBytes(file(foreign));
    byte[] damagedManifest = Files.readAllBytes(storageDir.resolve(damaged.manifestKey()));
    rescan();

    BackupJob job = rekeyAll();

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).contains("none of the 2 backups could be rekeyed");
    assertThat(job.getSummary()).contains("2 skipped");
    assertThat(job.getWarnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(damaged.manifest().backupId().toString())
                    .contains(damaged.objectKey())
                    .contains("damaged or truncated, it was not rekeyed"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(foreign.manifest().backupId().toString())
                    .contains("no key 'ops-2019'"));
    assertThat(Files.readAllBytes(damagedFile)).isEqualTo(bytes);
    assertThat(Files.readAllBytes(storageDir.resolve(damaged.manifestKey())))
        .isEqualTo(damagedManifest);
    assertThat(Files.readAllBytes(file(foreign))).isEqualTo(foreignBefore);
    assertThat(row(damaged).getKeyId()).isEqualTo(KEY_A.id());
    assertThat(row(damaged).getSha256Stored()).isEqualTo(damaged.manifest().sha256Stored());
    assertThat(row(foreign).getKeyId()).isEqualTo(KEY_C.id());
    try (Stream<Path> files = Files.walk(storageDir)) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.contains(".kanbu-tmp-"));
    }

    forget(damaged);
    forget(foreign);
  }

  @Test
  void rekeyInterruptedAfterTheObjectOrTheManifest_isRepaired_fromOneReadOfTheObject()
      throws Exception {
    SourceBackupOutcome objectOnly = backupUnder(KEY_A);
    SourceBackupOutcome objectAndManifest = backupUnder(KEY_A);
    byte[] objectOnlyBefore = Files.readAllBytes(file(objectOnly));
    byte[] objectAndManifestBefore = Files.readAllBytes(file(objectAndManifest));
    rescan();
    // what a worker that died mid-rekey left: the object rewritten under B, the manifest of one
    // and the catalog rows of both still naming A
    BackupRekeyer rekeyer =
        new BackupRekeyer(new EnvelopeEncryption(Keyring.of(KEY_B, KEY_A), FAST));
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    rekeyer.rekey(new ByteArrayInputStream(objectOnlyBefore), rewritten);
    Files.write(file(objectOnly), rewritten.toByteArray());
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    BackupRekeyer.Rewritten both =
        rekeyer.rekey(
            new ByteArrayInputStream(objectAndManifestBefore),
            second,
            objectAndManifest.manifest(),
            objectAndManifest.manifestKey());
    Files.write(file(objectAndManifest), second.toByteArray());
    Files.write(
        storageDir.resolve(objectAndManifest.manifestKey()), manifests.encode(both.manifest()));

    BackupJob job = rekeyAll();

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.getSummary()).contains("0 rekeyed").contains("2 repaired").contains("0 skipped");
    assertThat(Files.readAllBytes(file(objectOnly)))
        .as("a repair does not rewrite the object")
        .isEqualTo(rewritten.toByteArray());
    assertRekeyedToB(objectOnly, objectOnlyBefore);
    assertRekeyedToB(objectAndManifest, objectAndManifestBefore);
    for (SourceBackupOutcome backup : new SourceBackupOutcome[] {objectOnly, objectAndManifest}) {
      BackupJob verification = verify(backup.manifest().backupId());
      assertThat(verification.getStatus())
          .as("error: %s", verification.getError())
          .isEqualTo(JobStatus.SUCCEEDED);
    }
  }
}
