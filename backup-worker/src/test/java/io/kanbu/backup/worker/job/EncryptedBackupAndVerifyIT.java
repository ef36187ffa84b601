package io.kanbu.backup.worker.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import io.kanbu.backup.worker.BackupWorkerApplication;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A worker with {@code BACKUP_ENCRYPTION_KEY} set, against the real PostgreSQL and RabbitMQ: new
 * backups are encrypted and have manifests; {@code VERIFY} commands check them and record the
 * result. Private jobs queue and databases (see {@link BackupWorkerIT} for why).
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = BackupWorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EncryptedBackupAndVerifyIT {

  static final String CATALOG_DB = "kanbu_it_v_worker_catalog" + BackupWorkerIT.SUFFIX;
  static final String SOURCE_DB = "kanbu_it_v_worker_source" + BackupWorkerIT.SUFFIX;
  static final String JOBS_QUEUE = "kanbu.it.v.worker.jobs" + BackupWorkerIT.SUFFIX;
  static final String PASSPHRASE = "the operator's passphrase, never logged";
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  static Path root;
  static Path storageDir;
  static Connection rabbit;
  static Channel channel;
  static PostgresEndpoint pg;
  static final List<Map.Entry<String, byte[]>> events = new CopyOnWriteArrayList<>();

  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;

  private final MessageCodec codec = new MessageCodec();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) throws Exception {
    pg = ExternalServices.postgres();
    RabbitEndpoint mq = ExternalServices.rabbitmq();
    pg.recreateDatabase(CATALOG_DB);
    pg.recreateDatabase(SOURCE_DB);
    try (java.sql.Connection c = pg.connect(SOURCE_DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE widget (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO widget SELECT g, 'widget ' || g FROM generate_series(1, 40000) g");
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.orders (id int)");
      s.execute("INSERT INTO shop.orders SELECT generate_series(1, 123)");
    }
    root = Files.createTempDirectory("kanbu-verify-it");
    storageDir = Files.createDirectories(root.resolve("backups"));
    Path sourceTree = Files.createDirectories(root.resolve("app/src"));
    Files.writeString(sourceTree.resolve("hello.ts"), "console.log('source of kanbu');\n");
    Files.writeString(root.resolve("app/.env"), "SECRET=" + PASSPHRASE + "\n");

    WorkerTestEnvironment.registerServices(registry, pg, mq, CATALOG_DB);
    registry.add("kanbu.worker.worker-id", () -> "it-verify-worker");
    registry.add("kanbu.worker.jobs-queue", () -> JOBS_QUEUE);
    registry.add("kanbu.worker.poll-interval", () -> "200ms");
    registry.add("kanbu.worker.event-relay-grace", () -> "1s");
    registry.add("kanbu.worker.storage.local-path", () -> storageDir.toString());
    registry.add("kanbu.targets.default.database-url", () -> pg.databaseUrl(SOURCE_DB));
    registry.add("kanbu.targets.default.source-path", () -> root.resolve("app").toString());
    registry.add("BACKUP_ENCRYPTION_KEY", () -> PASSPHRASE);
    registry.add("BACKUP_ENCRYPTION_KEY_ID", () -> "ops-2026");

    rabbit = WorkerTestEnvironment.connect(mq, "kanbu-verify-it");
    channel = rabbit.createChannel();
    WorkerTestEnvironment.declareJobsQueue(channel, JOBS_QUEUE);
    channel.exchangeDeclare(MessagingTopology.EVENTS_EXCHANGE, "topic", true);
    String eventQueue = channel.queueDeclare().getQueue();
    channel.queueBind(eventQueue, MessagingTopology.EVENTS_EXCHANGE, "verify.#");
    channel.queueBind(eventQueue, MessagingTopology.EVENTS_EXCHANGE, "job.#");
    channel.basicConsume(
        eventQueue,
        true,
        (tag, d) -> events.add(Map.entry(d.getEnvelope().getRoutingKey(), d.getBody())),
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
      rabbit.close();
    }
  }

  static void publish(UUID jobId, String type, UUID backupId) throws Exception {
    publish(jobId, type, "default", backupId);
  }

  static void publish(UUID jobId, String type, String target, UUID backupId) throws Exception {
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

  BackupJob awaitFinished(UUID jobId) {
    return WorkerTestEnvironment.awaitFinished(jobs, jobId, TIMEOUT);
  }

  Map.Entry<String, JobEvent> awaitEvent(UUID jobId) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                events.stream()
                    .map(e -> Map.entry(e.getKey(), codec.decodeEvent(e.getValue())))
                    .filter(
                        e -> e.getValue().data().jobId().equals(jobId) && e.getValue().isJobEnd())
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  BackupRecord backUp() throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(jobId, "BACKUP_DATABASE", null);
    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    return backups.findById(job.getBackupId()).orElseThrow();
  }

  BackupJob verify(UUID backupId) throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(jobId, "VERIFY", backupId);
    return awaitFinished(jobId);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void encryptedBackup_isSqlGzEnc_decryptingToTheGzipWhoseSha256IsRecorded_withAManifest()
      throws Exception {
    BackupRecord record = backUp();

    assertThat(record.getFileName()).endsWith(".sql.gz.enc");
    assertThat(record.isEncrypted()).isTrue();
    assertThat(record.getKeyId()).isEqualTo("ops-2026");
    Path file = storageDir.resolve(record.getObjectKey());
    byte[] stored = Files.readAllBytes(file);
    assertThat(record.getSha256Stored()).isEqualTo(sha256(stored));
    assertThat(record.getSha256()).isNotEqualTo(record.getSha256Stored());
    assertThat(new String(stored, UTF_8)).doesNotContain("widget 39999").doesNotContain(PASSPHRASE);

    EnvelopeEncryption withTheKey =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("ops-2026", PASSPHRASE)));
    MessageDigest gzipDigest = MessageDigest.getInstance("SHA-256");
    String sql;
    try (InputStream in =
        new GZIPInputStream(
            new DigestInputStream(
                withTheKey.decrypt(Files.newInputStream(file), record.getId()), gzipDigest))) {
      sql = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(HexFormat.of().formatHex(gzipDigest.digest())).isEqualTo(record.getSha256());
    assertThat(sql).contains("widget 39999").contains("PostgreSQL database dump complete");

    assertThat(record.getManifestKey()).isEqualTo(record.getObjectKey() + ".manifest.json");
    byte[] manifestJson = Files.readAllBytes(storageDir.resolve(record.getManifestKey()));
    assertThat(new String(manifestJson, UTF_8)).doesNotContain(PASSPHRASE);
    BackupManifest manifest = new ManifestCodec().decode(manifestJson, record.getManifestKey());
    assertThat(manifest.backupId()).isEqualTo(record.getId());
    assertThat(manifest.jobId()).isEqualTo(record.getJobId());
    assertThat(manifest.sha256()).isEqualTo(record.getSha256());
    assertThat(manifest.sha256Stored()).isEqualTo(record.getSha256Stored());
    assertThat(manifest.encryption().keyId()).isEqualTo("ops-2026");
    assertThat(manifest.rowCounts().mode()).isEqualTo("exact");
    assertThat(manifest.rowCounts().tables())
        .contains(
            new BackupManifest.TableRows("public", "widget", countOf("public.widget")),
            new BackupManifest.TableRows("shop", "orders", countOf("shop.orders")));
  }

  @Test
  void encryptedSourceBackup_isTarGzEnc_withASourceManifest_andVerifies() throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(jobId, "BACKUP_SOURCE", null);
    BackupJob job = awaitFinished(jobId);
    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord record = backups.findById(job.getBackupId()).orElseThrow();

    assertThat(record.getKind()).isEqualTo(BackupKind.SOURCE);
    assertThat(record.getFileName()).startsWith("kanbu_source_").endsWith(".tar.gz.enc");
    assertThat(record.isEncrypted()).isTrue();
    assertThat(record.getKeyId()).isEqualTo("ops-2026");
    Path file = storageDir.resolve(record.getObjectKey());
    byte[] stored = Files.readAllBytes(file);
    assertThat(record.getSha256Stored()).isEqualTo(sha256(stored));
    EnvelopeEncryption withTheKey =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("ops-2026", PASSPHRASE)));
    MessageDigest gzipDigest = MessageDigest.getInstance("SHA-256");
    String tar;
    try (InputStream in =
        new GZIPInputStream(
            new DigestInputStream(
                withTheKey.decrypt(Files.newInputStream(file), record.getId()), gzipDigest))) {
      tar = new String(in.readAllBytes(), UTF_8);
    }
    assertThat(HexFormat.of().formatHex(gzipDigest.digest())).isEqualTo(record.getSha256());
    assertThat(tar).contains("src/hello.ts").contains("source of kanbu").doesNotContain(PASSPHRASE);

    assertThat(record.getManifestKey()).isEqualTo(record.getObjectKey() + ".manifest.json");
    BackupManifest manifest =
        new ManifestCodec()
            .decode(
                Files.readAllBytes(storageDir.resolve(record.getManifestKey())),
                record.getManifestKey());
    assertThat(manifest.kind()).isEqualTo("source");
    assertThat(manifest.backupId()).isEqualTo(record.getId());
    assertThat(manifest.sha256Stored()).isEqualTo(record.getSha256Stored());
    assertThat(manifest.encryption().keyId()).isEqualTo("ops-2026");
    assertThat(manifest.rowCounts().mode()).isEqualTo("off");

    BackupJob verification = verify(record.getId());
    assertThat(verification.getStatus())
        .as("error: %s", verification.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(backups.findById(record.getId()).orElseThrow().getVerifiedAt()).isNotNull();
  }

  @Test
  void verifyOfAGoodBackup_recordsVerifiedAt_andPublishesVerifySucceeded() throws Exception {
    BackupRecord record = backUp();

    BackupJob job = verify(record.getId());

    assertThat(job.getStatus()).as("error: %s", job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord after = backups.findById(record.getId()).orElseThrow();
    assertThat(after.getVerifiedAt()).isNotNull();
    assertThat(after.getVerifyError()).isNull();
    Map.Entry<String, JobEvent> event = awaitEvent(job.getId());
    assertThat(event.getKey()).isEqualTo(JobEvent.VERIFY_SUCCEEDED);
    assertThat(event.getValue().data().backupId()).isEqualTo(record.getId());
  }

  @Test
  void verifyOfABackupWithAFlippedByte_recordsTheFailedCheck_andPublishesVerifyFailed()
      throws Exception {
    BackupRecord record = backUp();
    Path file = storageDir.resolve(record.getObjectKey());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);

    BackupJob job = verify(record.getId());

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).startsWith("stored sha256 check failed");
    BackupRecord after = backups.findById(record.getId()).orElseThrow();
    assertThat(after.getVerifiedAt()).isNull();
    assertThat(after.getVerifyError()).startsWith("stored sha256 check failed");
    Map.Entry<String, JobEvent> event = awaitEvent(job.getId());
    assertThat(event.getKey()).isEqualTo(JobEvent.VERIFY_FAILED);
    assertThat(event.getValue().data().error()).startsWith("stored sha256 check failed");
  }

  @Test
  void verifyOfABackupWhoseManifestWasEditedByHand_failsNamingTheManifest() throws Exception {
    BackupRecord record = backUp();
    Path manifest = storageDir.resolve(record.getManifestKey());
    String json = Files.readString(manifest);
    Files.writeString(manifest, json.replace("\"exact\"", "\"estimate\""));

    BackupJob job = verify(record.getId());

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError())
        .startsWith("manifest check failed")
        .contains("manifest checksum mismatch")
        .contains(record.getManifestKey());
    assertThat(backups.findById(record.getId()).orElseThrow().getVerifyError())
        .contains("manifest checksum mismatch");
  }

  @Test
  void verifyOfATruncatedBackup_failsTheStoredChecksum_andClearsAnEarlierSuccess()
      throws Exception {
    BackupRecord record = backUp();
    assertThat(verify(record.getId()).getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    Path file = storageDir.resolve(record.getObjectKey());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 17));

    BackupJob job = verify(record.getId());

    assertThat(job.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(job.getError()).startsWith("stored sha256 check failed").contains("truncated");
    BackupRecord after = backups.findById(record.getId()).orElseThrow();
    assertThat(after.getVerifiedAt()).isNull();
    assertThat(after.getVerifyError()).startsWith("stored sha256 check failed");
  }

  static long countOf(String table) throws Exception {
    try (java.sql.Connection c = pg.connect(SOURCE_DB);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rescanAfterTheCatalogLostItsBackups_adoptsThemFromTheirManifests_andTracksVanishedObjects()
      throws Exception {
    BackupRecord first = backUp();
    BackupRecord second = backUp();
    Files.writeString(
        storageDir.resolve("kanbu_backup_2025-12-31T23-59-58.sql.gz"), "an original Kanbu file");
    try (java.sql.Connection c = pg.connect(CATALOG_DB);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM backup"); // the catalog forgets every backup
    }

    BackupJob rescan = rescan();

    assertThat(rescan.getStatus())
        .as("error: %s", rescan.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(rescan.getSummary()).contains("adopted into the catalog").contains("legacy files");
    assertThat(rescan.getWarnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("kanbu_backup_2025-12-31T23-59-58.sql.gz")
                    .contains("not imported")
                    .contains("not gzip"));
    BackupRecord adopted = backups.findById(first.getId()).orElseThrow();
    assertThat(adopted.getJobId()).isEqualTo(rescan.getId());
    assertThat(adopted.getAdoptedAt()).isNotNull();
    assertThat(adopted)
        .usingRecursiveComparison()
        .comparingOnlyFields(
            "target",
            "kind",
            "status",
            "storage",
            "objectKey",
            "fileName",
            "rawSize",
            "compressedSize",
            "storedSize",
            "sha256",
            "sha256Stored",
            "compression",
            "encrypted",
            "keyId",
            "manifestKey",
            "pgServerVersion",
            "pgDumpVersion",
            "createdAt")
        .isEqualTo(first);
    BackupJob verification = verify(first.getId());
    assertThat(verification.getStatus())
        .as("an adopted backup verifies: %s", verification.getError())
        .isEqualTo(JobStatus.SUCCEEDED);

    Path secondFile = storageDir.resolve(second.getObjectKey());
    byte[] secondBytes = Files.readAllBytes(secondFile);
    Files.delete(secondFile);
    BackupJob afterLoss = rescan();
    assertThat(backups.findById(second.getId()).orElseThrow().getStatus())
        .isEqualTo(io.kanbu.backup.model.catalog.BackupStatus.MISSING);
    assertThat(afterLoss.getWarnings())
        .anySatisfy(w -> assertThat(w).contains(second.getId().toString()).contains("MISSING"));

    Files.write(secondFile, secondBytes);
    BackupJob afterReturn = rescan();
    assertThat(afterReturn.getSummary()).contains("1 found again");
    assertThat(backups.findById(second.getId()).orElseThrow().getStatus())
        .isEqualTo(io.kanbu.backup.model.catalog.BackupStatus.AVAILABLE);
  }

  @Test
  void rescanImportsFilesOfTheOriginalKanbu_measuredByAFullRead_andVerifyRereadsThem()
      throws Exception {
    byte[] sql = "SELECT 'written by the original Kanbu';\n".repeat(5000).getBytes(UTF_8);
    byte[] gzip = gzip(sql);
    byte[] encrypted = originalKanbuEncryption(gzip, PASSPHRASE);
    Path legacyDir = Files.createDirectories(storageDir.resolve("default/database"));
    Path plainFile = legacyDir.resolve("kanbu_backup_2025-11-29T10-00-00.sql.gz");
    Path encryptedFile = legacyDir.resolve("kanbu_backup_2025-11-30T10-00-00.sql.gz.enc");
    Path sqlFile = legacyDir.resolve("kanbu_backup_2025-11-28T10-00-00.sql");
    Files.write(plainFile, gzip);
    Files.write(encryptedFile, encrypted);
    Files.write(sqlFile, sql);

    BackupJob rescan = rescan();

    assertThat(rescan.getStatus())
        .as("error: %s", rescan.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    BackupRecord plain = byObjectKey("default/database/" + plainFile.getFileName());
    BackupRecord sealed = byObjectKey("default/database/" + encryptedFile.getFileName());
    for (BackupRecord imported : List.of(plain, sealed)) {
      assertThat(imported.isLegacy()).isTrue();
      assertThat(imported.getJobId()).isEqualTo(rescan.getId());
      assertThat(imported.getVerifiedAt()).as("the import read it to its end").isNotNull();
      assertThat(imported.getSha256()).isEqualTo(sha256(gzip));
      assertThat(imported.getRawSize()).isEqualTo(sql.length);
      assertThat(imported.getManifestKey()).isNull();
    }
    assertThat(plain.isEncrypted()).isFalse();
    assertThat(plain.getSha256Stored()).isEqualTo(sha256(gzip));
    assertThat(sealed.isEncrypted()).isTrue();
    assertThat(sealed.getSha256Stored()).isEqualTo(sha256(encrypted));
    assertThat(sealed.getStoredSize()).isEqualTo(encrypted.length);
    assertThat(sealed.getCreatedAt()).isEqualTo(Instant.parse("2025-11-30T10:00:00Z"));
    // an uncompressed .sql is imported as compression 'none' and verifies like the others
    BackupRecord uncompressed = byObjectKey("default/database/" + sqlFile.getFileName());
    assertThat(uncompressed.getCompression()).isEqualTo("none");
    assertThat(uncompressed.getSha256()).isEqualTo(sha256(sql));
    assertThat(uncompressed.getRawSize()).isEqualTo(sql.length);
    assertThat(plain.getCompression()).isEqualTo("gzip");
    assertThat(verify(uncompressed.getId()).getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(((Number) backups.verificationCounts().getFirst()[4]).longValue())
        .as("no checksum was recorded when they were made")
        .isGreaterThanOrEqualTo(2);
    assertThat(rescan().getSummary())
        .as("a second rescan reads them no more")
        .contains("(0 imported)");

    assertThat(verify(sealed.getId()).getStatus()).isEqualTo(JobStatus.SUCCEEDED);
    encrypted[encrypted.length / 2] ^= 0x01;
    Files.write(encryptedFile, encrypted);
    BackupJob tampered = verify(sealed.getId());
    assertThat(tampered.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(tampered.getError()).contains("decryption check failed");
  }

  BackupRecord byObjectKey(String key) {
    return backups.findByStorage("local").stream()
        .filter(b -> b.getObjectKey().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no catalog row for " + key));
  }

  static byte[] gzip(byte[] data) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /**
   * The original Kanbu's format, written with the JDK's own AES-GCM and PBKDF2 (independent of the
   * BouncyCastle code the worker decrypts with): 16-byte IV, ciphertext, 16-byte tag; the key is
   * PBKDF2-HMAC-SHA256 of the passphrase with the original's static salt, 100,000 iterations.
   */
  static byte[] originalKanbuEncryption(byte[] plain, String passphrase) throws Exception {
    byte[] key =
        javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(
                new javax.crypto.spec.PBEKeySpec(
                    passphrase.toCharArray(),
                    "kanbu-backup-encryption-salt-v1".getBytes(UTF_8),
                    100_000,
                    256))
            .getEncoded();
    byte[] iv = new byte[16];
    new java.security.SecureRandom().nextBytes(iv);
    javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        new javax.crypto.spec.SecretKeySpec(key, "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, iv));
    byte[] sealed = cipher.doFinal(plain); // ciphertext followed by the tag
    byte[] file = new byte[iv.length + sealed.length];
    System.arraycopy(iv, 0, file, 0, iv.length);
    System.arraycopy(sealed, 0, file, iv.length, sealed.length);
    return file;
  }

  BackupJob rescan() throws Exception {
    UUID jobId = UUID.randomUUID();
    publish(jobId, "RESCAN", "storage", null);
    return awaitFinished(jobId);
  }
}
