package io.kanbu.backup.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.DatabaseBackupOptions;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgDumpSource;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.RowCountMode;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The restore core on the real PostgreSQL: what it restores, and every way it refuses or fails. */
@ExtendWith(ExternalServices.class)
class DatabaseRestoreIT {

  // this JVM's own names: test runs from two checkouts on one server must not drop each other's
  static final String DB = "kanbu_restore_test_core_" + ProcessHandle.current().pid();
  static final String SCRATCH = DB + "_scratch";
  static final String KEY = "restore test passphrase";
  static PostgresEndpoint pg;

  @TempDir Path tmp;
  LocalStorageBackend storage;
  Keyring keyring;
  DatabaseRestore restore;
  JdbcTargetDatabase target;

  @BeforeAll
  static void services() {
    pg = ExternalServices.postgres();
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    try (Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
      s.execute("DROP DATABASE IF EXISTS " + SCRATCH + " WITH (FORCE)");
    }
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    pg.recreateDatabase(DB);
    try (Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SCRATCH + " WITH (FORCE)");
    }
    sql(
        DB,
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.item (id int PRIMARY KEY, label text NOT NULL)",
        "INSERT INTO shop.item SELECT g, 'item ' || g FROM generate_series(1, 5000) g",
        "CREATE TABLE note (id serial PRIMARY KEY, body text)",
        "INSERT INTO note (body) VALUES ('first'), ('second')");
    storage = new LocalStorageBackend(tmp.resolve("store"));
    keyring = Keyring.of(KeyringEntry.of("ops", KEY));
    restore = new DatabaseRestore(PgToolLocator.systemDefault(), keyring, Clock.systemUTC());
    target = new JdbcTargetDatabase(connection(DB), "default", "DATABASE_URL");
  }

  @Test
  void restoreOverAChangedDatabase_leavesExactlyTheBackedUpContents() throws Exception {
    StoredBackup backup = backUp(true);
    String before = fingerprint(DB);
    sql(
        DB,
        "DELETE FROM shop.item WHERE id > 4000",
        "UPDATE note SET body = 'changed'",
        "CREATE TABLE shop.item_archive (id int)");

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);
    RestoreOutcome outcome = restore.apply(plan, target, storage, backup, null);

    assertThat(plan.needsSafetyBackup()).isTrue();
    assertThat(outcome.created()).isFalse();
    assertThat(outcome.tablesChecked()).isEqualTo(2);
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void dumpWhoseTailIsInvalid_failsWithPsqlsError_andLeavesTheTargetUnchanged() throws Exception {
    byte[] dump = dumpSql(DB);
    sql(DB, "UPDATE note SET body = 'changed since the backup'");
    String before = fingerprint(DB);
    byte[] broken = concat(dump, "INSERT INTO no_such_table VALUES (1);\n".getBytes());
    StoredBackup backup = legacyPlain("default/database/kanbu_backup_broken.sql.gz", gzip(broken));

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining("no_such_table")
        .hasMessageContaining("rolled back")
        .satisfies(
            e ->
                assertThat(((RestoreFailedException) e).psqlErrorLines())
                    .anyMatch(l -> l.contains("ERROR") && l.contains("no_such_table")));
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void rowCountsThatDifferFromTheManifest_rollBack_namingTheTable() throws Exception {
    StoredBackup backup =
        withRowCounts(
            backUp(false),
            List.of(
                new BackupManifest.TableRows("public", "note", 2),
                new BackupManifest.TableRows("shop", "item", 4999)));
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RowCountMismatchException.class)
        .hasMessageContaining("shop.item: 5000 rows restored, the manifest has 4999");
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void aManifestTableTheDumpDoesNotCopy_isCountedInsideTheTransaction() throws Exception {
    StoredBackup real = backUp(false);
    List<BackupManifest.TableRows> tables = new ArrayList<>(real.manifest().rowCounts().tables());
    tables.add(new BackupManifest.TableRows("public", "not_in_the_dump", 3));
    StoredBackup backup = withRowCounts(real, tables);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RowCountMismatchException.class)
        .hasMessageContaining("public.not_in_the_dump: missing, the manifest has 3 rows");
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void aSessionHoldingALockAfterThePreflight_failsTheRestoreAfterTheLockTimeout() throws Exception {
    StoredBackup backup = backUp(false);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);
    DatabaseRestore impatient =
        new DatabaseRestore(
            PgToolLocator.systemDefault(), keyring, Clock.systemUTC(), Duration.ofMillis(500));
    PreflightReport plan = impatient.preflight(target, "default", DB, backup, false);

    try (Connection late = pg.connect(DB);
        Statement s = late.createStatement()) {
      late.setAutoCommit(false);
      s.execute("LOCK TABLE note IN ACCESS SHARE MODE");

      assertThatThrownBy(() -> impatient.apply(plan, target, storage, backup, null))
          .isInstanceOf(RestoreFailedException.class)
          .hasMessageContaining("lock timeout")
          .hasMessageContaining("terminateConnections");
      late.rollback();
    }
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void corruptedObject_failsBeforeCommitting_andLeavesTheTargetUnchanged() throws Exception {
    StoredBackup backup = backUp(false);
    Path file = tmp.resolve("store").resolve(backup.objectKey());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void wrongKey_isRefusedBeforeAnythingChanges() throws Exception {
    StoredBackup backup = backUp(true);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);
    DatabaseRestore withWrongKey =
        new DatabaseRestore(
            PgToolLocator.systemDefault(),
            Keyring.of(KeyringEntry.of("ops", "not the key")),
            Clock.systemUTC());

    PreflightReport plan = withWrongKey.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> withWrongKey.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreRefusedException.class)
        .hasMessageContaining("wrong key");
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void missingKey_isAPreflightRefusal() throws Exception {
    StoredBackup backup = backUp(true);
    DatabaseRestore withoutKeys =
        new DatabaseRestore(
            PgToolLocator.systemDefault(),
            Keyring.of(KeyringEntry.of("other", "x")),
            Clock.systemUTC());

    PreflightReport plan = withoutKeys.preflight(target, "default", DB, backup, false);

    assertThat(plan.ok()).isFalse();
    assertThat(plan.refusals()).anyMatch(r -> r.contains("no key 'ops'"));
    assertThatThrownBy(() -> withoutKeys.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreRefusedException.class);
  }

  @Test
  void psqlOlderThanTheServer_isRefused() throws Exception {
    StoredBackup backup = backUp(false);
    Path bin = Files.createDirectories(tmp.resolve("oldbin"));
    Path fake = bin.resolve("psql");
    Files.writeString(fake, "#!/bin/sh\necho 'psql (PostgreSQL) 9.6.24'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    DatabaseRestore withOldPsql =
        new DatabaseRestore(new PgToolLocator(List.of(bin)), keyring, Clock.systemUTC());
    String before = fingerprint(DB);

    PreflightReport plan = withOldPsql.preflight(target, "default", DB, backup, false);

    assertThat(plan.psql()).isNull();
    assertThat(plan.refusals()).anyMatch(r -> r.contains("9.6.24") && r.contains("psql"));
    assertThatThrownBy(() -> withOldPsql.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreRefusedException.class);
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void otherSessions_areARefusal_unlessTerminationIsAsked() throws Exception {
    StoredBackup backup = backUp(false);
    try (Connection busy = pg.connect(DB)) {
      PreflightReport refused = restore.preflight(target, "default", DB, backup, false);
      assertThat(refused.otherSessions()).hasSize(1);
      assertThat(refused.refusals()).anyMatch(r -> r.contains("terminateConnections"));

      PreflightReport allowed = restore.preflight(target, "default", DB, backup, true);
      RestoreOutcome outcome = restore.apply(allowed, target, storage, backup, null);

      assertThat(outcome.terminatedSessions()).isEqualTo(1);
      assertThat(busy.isValid(2)).isFalse();
    }
  }

  @Test
  void sessionsOfOurOwnThatCloseWithinTheGrace_areNoRefusal() throws Exception {
    StoredBackup backup = backUp(false);
    Connection ours = PgDumpSource.openJdbc(connection(DB), "default", "DATABASE_URL");
    // closed while the pre-flight looks, as a backup's connection of a moment ago
    CompletableFuture<Void> closed =
        CompletableFuture.runAsync(
            () -> close(ours), CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    closed.join();
    assertThat(plan.otherSessions()).isEmpty();
    assertThat(plan.refusals()).isEmpty();
  }

  @Test
  void aSessionOfOurOwnThatStays_isARefusalAfterTheGrace() throws Exception {
    StoredBackup backup = backUp(false);
    DatabaseRestore shortGrace = restoreWaitingForOwnSessions(Duration.ofMillis(500));
    try (Connection ours = PgDumpSource.openJdbc(connection(DB), "default", "DATABASE_URL")) {
      int pid = backendPid(ours);

      PreflightReport refused = shortGrace.preflight(target, "default", DB, backup, false);

      assertThat(refused.otherSessions())
          .allMatch(TargetDatabase.Session::ours)
          .anyMatch(session -> session.pid() == pid);
      assertThat(refused.refusals())
          .anyMatch(r -> r.contains("kanbu-backup") && r.contains("terminateConnections"));
    }
  }

  @Test
  void anotherClientsSession_isARefusalWithoutWaitingForTheGrace() throws Exception {
    StoredBackup backup = backUp(false);
    DatabaseRestore longGrace = restoreWaitingForOwnSessions(Duration.ofMinutes(10));
    try (Connection busy = pg.connect(DB)) {
      int pid = backendPid(busy);

      PreflightReport refused =
          assertTimeoutPreemptively(
              Duration.ofMinutes(1),
              () -> longGrace.preflight(target, "default", DB, backup, false));

      assertThat(refused.otherSessions())
          .anySatisfy(
              session -> {
                assertThat(session.pid()).isEqualTo(pid);
                assertThat(session.ours()).isFalse();
              });
      assertThat(refused.refusals()).anyMatch(r -> r.contains("terminateConnections"));
    }
  }

  @Test
  void restoreIntoAnotherDatabase_createsItLikeTheSource() throws Exception {
    StoredBackup backup = backUp(true);
    TargetDatabase.Settings like = target.settingsOf(DB);

    PreflightReport plan = restore.preflight(target, "default", SCRATCH, backup, false);
    RestoreOutcome outcome = restore.apply(plan, target, storage, backup, like);

    assertThat(plan.databaseExists()).isFalse();
    assertThat(plan.needsSafetyBackup()).isFalse();
    assertThat(outcome.created()).isTrue();
    assertThat(target.settingsOf(SCRATCH)).isEqualTo(like);
    assertThat(fingerprint(SCRATCH)).isEqualTo(fingerprint(DB));
  }

  @Test
  void failedRestoreIntoANewDatabase_dropsTheDatabaseItCreated() throws Exception {
    byte[] broken = concat(dumpSql(DB), "SELEC 1;\n".getBytes());
    StoredBackup backup = legacyPlain("default/database/broken.sql.gz", gzip(broken));

    PreflightReport plan = restore.preflight(target, "default", SCRATCH, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining("SELEC");
    assertThat(target.exists(SCRATCH)).isFalse();
  }

  @Test
  void failedRestoreIntoTheConfiguredDatabaseItCreated_dropsItAgain() throws Exception {
    byte[] broken = concat(dumpSql(DB), "SELEC 1;\n".getBytes());
    StoredBackup backup = legacyPlain("default/database/broken.sql.gz", gzip(broken));
    // the target's URL names the database that does not exist yet
    TargetDatabase fresh = new JdbcTargetDatabase(connection(SCRATCH), "default", "DATABASE_URL");

    PreflightReport plan = restore.preflight(fresh, "default", SCRATCH, backup, false);

    assertThat(plan.databaseExists()).isFalse();
    assertThatThrownBy(() -> restore.apply(plan, fresh, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(target.exists(SCRATCH)).isFalse();
  }

  @Test
  void legacyPlainSqlGz_restores_withAWarningThatNoRowCountsAreCompared() throws Exception {
    StoredBackup backup =
        legacyPlain("default/database/kanbu_backup_legacy.sql.gz", gzip(dumpSql(DB)));

    PreflightReport plan = restore.preflight(target, "default", SCRATCH, backup, false);
    RestoreOutcome outcome = restore.apply(plan, target, storage, backup, null);

    assertThat(outcome.warnings()).anyMatch(w -> w.contains("no row counts to compare"));
    assertThat(outcome.tablesChecked()).isZero();
    assertThat(fingerprint(SCRATCH)).isEqualTo(fingerprint(DB));
  }

  @Test
  void legacyEncryptedKanbuFile_restoresWithThePrimaryKey() throws Exception {
    // the original Kanbu's format: [16-byte IV][AES-256-GCM ciphertext][16-byte tag], raw hex key
    String hexKey = "8f1c2b7e4d6a9f03c5e7b1d2a4f6c8e0112233445566778899aabbccddeeff00";
    byte[] iv = new byte[16];
    new java.security.SecureRandom().nextBytes(iv);
    javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        new javax.crypto.spec.SecretKeySpec(java.util.HexFormat.of().parseHex(hexKey), "AES"),
        new javax.crypto.spec.GCMParameterSpec(128, iv));
    byte[] enc = concat(iv, gcm.doFinal(gzip(dumpSql(DB))));
    String key = "default/database/kanbu_backup_legacy.sql.gz.enc";
    storage.put(key, out -> out.write(enc));
    StoredBackup backup =
        new StoredBackup(
            UUID.randomUUID(), key, true, CompressionFormat.GZIP, null, null, null, null);
    DatabaseRestore legacyKey =
        new DatabaseRestore(
            PgToolLocator.systemDefault(),
            Keyring.of(KeyringEntry.of("primary", hexKey)),
            Clock.systemUTC());

    PreflightReport plan = legacyKey.preflight(target, "default", SCRATCH, backup, false);
    RestoreOutcome outcome = legacyKey.apply(plan, target, storage, backup, null);

    assertThat(outcome.warnings()).anyMatch(w -> w.contains("no row counts to compare"));
    assertThat(fingerprint(SCRATCH)).isEqualTo(fingerprint(DB));
  }

  @Test
  void dumpThatCommitsOnItsOwn_failsAndCommitsNothing() throws Exception {
    // the legacy fixture wraps itself in BEGIN/COMMIT, which would end psql -1's transaction early
    byte[] fixture;
    try (InputStream in = getClass().getResourceAsStream("/crypto/legacy-payload.sql.gz")) {
      fixture = in.readAllBytes();
    }
    StoredBackup backup = legacyPlain("default/database/self-committing.sql.gz", fixture);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining(CompletionGuard.ERROR_PREFIX);
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void inputEndingEarly_asIfThisProcessDied_commitsNothing() throws Exception {
    byte[] dump = dumpSql(DB);
    sql(DB, "UPDATE note SET body = 'changed'");
    String before = fingerprint(DB);
    PgTool psql = PgToolLocator.systemDefault().locate("psql", target.serverVersion());

    // the guard, the wipe and the dump up to its last COPY, then the input ends without the last
    // statement; latin-1 keeps byte offsets
    int cut = new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf("\nCOPY ");
    assertThatThrownBy(
            () ->
                new PsqlApplier(target, psql)
                    .apply(
                        DB,
                        "database '" + DB + "'",
                        in -> {
                          in.write(CompletionGuard.start());
                          in.write(DatabaseWipe.sql(DatabaseWipe.LOCK_TIMEOUT));
                          in.write(dump, 0, cut + 1);
                        }))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining(CompletionGuard.ERROR_PREFIX);
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void psqlArguments_carryNoPassword_itIsInTheEnvironment() {
    DatabaseConnection withPassword =
        DatabaseConnection.parse("postgresql://app:s3cret-pw@db.example:5433/app");
    io.kanbu.backup.core.source.PgTool psql =
        new io.kanbu.backup.core.source.PgTool(
            "psql", Path.of("/usr/bin/psql"), new io.kanbu.backup.core.source.PgVersion(150000));

    ProcessBuilder process =
        new JdbcTargetDatabase(withPassword, "default", "DATABASE_URL")
            .psqlProcess(psql, "app", PsqlApplier.OPTIONS);

    assertThat(process.command())
        .noneMatch(a -> a.contains("s3cret"))
        .containsSubsequence("-X", "-1", "-v", "ON_ERROR_STOP=1")
        .contains("app", "db.example", "5433");
    assertThat(process.environment()).containsEntry("PGPASSWORD", "s3cret-pw");
  }

  // --- fixtures

  StoredBackup backUp(boolean encrypted) {
    return backUp(connection(DB), storage, encrypted ? keyring : null);
  }

  /**
   * A backup of {@code from} with exact row counts, taken directly; encrypted when a keyring is
   * given. Shared with {@link DockerRestoreIT}.
   */
  static StoredBackup backUp(
      DatabaseConnection from, LocalStorageBackend storage, @Nullable Keyring keyring) {
    boolean encrypted = keyring != null;
    UUID id = UUID.randomUUID();
    String key = "default/database/kanbu_backup_" + id + (encrypted ? ".sql.gz.enc" : ".sql.gz");
    DatabaseBackupOptions options =
        DatabaseBackupOptions.of("default", "DATABASE_URL")
            .withIds(id, UUID.randomUUID())
            .withRowCounts(RowCountMode.EXACT)
            .withEncryption(encrypted ? new EnvelopeEncryption(keyring) : null);
    BackupOutcome outcome =
        new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
            .backup(from, storage, key, options);
    awaitNoOtherSessions(from.database());
    return new StoredBackup(
        id,
        key,
        encrypted,
        CompressionFormat.GZIP,
        outcome.keyId(),
        outcome.pipeline().sha256Stored(),
        outcome.pipeline().sha256Compressed(),
        outcome.manifest());
  }

  /**
   * Waits until the backup's sessions are gone: a closed connection's server process may still be
   * listed for a moment (seconds on a loaded machine). The pre-flight waits for sessions of ours
   * itself, but lists them beside another client's; the tests count exactly the sessions they open.
   */
  static void awaitNoOtherSessions(String db) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Connection c = pg.connect(pg.adminDatabase());
        java.sql.PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
      s.setString(1, db);
      while (true) {
        try (java.sql.ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                rs.getLong(1) + " session(s) of '" + db + "' still open 60 s after the backup");
          }
        }
        Thread.sleep(20);
      }
    } catch (java.sql.SQLException | InterruptedException e) {
      throw new IllegalStateException("unable to wait for the sessions of '" + db + "'", e);
    }
  }

  /** The same stored backup, with a manifest that claims other exact row counts. */
  static StoredBackup withRowCounts(StoredBackup real, List<BackupManifest.TableRows> tables) {
    return new StoredBackup(
        real.backupId(),
        real.objectKey(),
        real.encrypted(),
        real.compression(),
        real.keyId(),
        real.sha256Stored(),
        real.sha256(),
        real.manifest().withRowCounts(new BackupManifest.RowCounts("exact", tables)));
  }

  StoredBackup legacyPlain(String key, byte[] gz) {
    return legacyPlain(storage, key, gz);
  }

  /** A plain {@code .sql.gz} without a manifest, as the original Kanbu wrote them. */
  static StoredBackup legacyPlain(LocalStorageBackend storage, String key, byte[] gz) {
    storage.put(key, out -> out.write(gz));
    return new StoredBackup(
        UUID.randomUUID(), key, false, CompressionFormat.GZIP, null, null, null, null);
  }

  byte[] dumpSql(String db) throws Exception {
    StoredBackup backup = backUp(false);
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(tmp.resolve("store").resolve(backup.objectKey())))) {
      return in.readAllBytes();
    }
  }

  DatabaseRestore restoreWaitingForOwnSessions(Duration grace) {
    return new DatabaseRestore(
        PgToolLocator.systemDefault(),
        keyring,
        Clock.systemUTC(),
        DatabaseWipe.LOCK_TIMEOUT,
        grace);
  }

  static int backendPid(Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static void close(Connection c) {
    try {
      c.close();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static DatabaseConnection connection(String db) {
    return DatabaseConnection.parse(pg.databaseUrl(db));
  }

  static void sql(String db, String... statements) throws Exception {
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  static String fingerprint(String db) throws Exception {
    return pg.contentFingerprint(db);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
