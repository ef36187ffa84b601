package io.kanbu.backup.cli;

import static io.kanbu.backup.cli.CliFixtures.LEGACY_FIXTURES;
import static io.kanbu.backup.cli.CliFixtures.databaseBackup;
import static io.kanbu.backup.cli.CliFixtures.file;
import static io.kanbu.backup.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.cli.CliFixtures.Run;
import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code restore} in-process through {@code CommandLine.execute}, on the real PostgreSQL: backups
 * made by the core pipeline from a real database, crafted broken ones and legacy files.
 */
@ExtendWith(ExternalServices.class)
class OfflineRestoreIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String SOURCE = "kanbu_cli_restore_source" + SUFFIX;
  static final String TARGET = "kanbu_cli_restore_target" + SUFFIX;
  static final String FRESH = "kanbu_cli_restore_fresh" + SUFFIX;
  static final String PASSPHRASE = "offline restore passphrase";
  static final String LEGACY_HEX_KEY =
      "8f1c2b7e4d6a9f03c5e7b1d2a4f6c8e0112233445566778899aabbccddeeff00";

  static PostgresEndpoint pg;

  @TempDir Path dir;

  @BeforeAll
  static void sourceDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(SOURCE);
    sql(
        SOURCE,
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.item (id int PRIMARY KEY, label text NOT NULL)",
        "INSERT INTO shop.item SELECT g, 'item ' || g FROM generate_series(1, 3000) g",
        "CREATE TABLE note (id serial PRIMARY KEY, body text)",
        "INSERT INTO note (body) VALUES ('first'), ('second')");
  }

  @BeforeEach
  void targetDatabases() throws Exception {
    pg.recreateDatabase(TARGET);
    sql(TARGET, "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (1), (2), (3)");
    drop(FRESH);
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    for (String db : new String[] {SOURCE, TARGET, FRESH}) {
      drop(db);
    }
  }

  @Test
  void encryptedBackup_restoresIntoANewDatabase_andEveryRowCountIsChecked() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, KeyringEntry.of("ops", PASSPHRASE));

    Run r = restore(withKey(urlEnv(pg, FRESH)), file(dir, backup), "--confirm", FRESH);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("backup id:   " + backup.manifest().backupId())
        .contains("server:      PostgreSQL")
        .contains("psql:        psql")
        .contains("database:    does not exist: it will be created")
        .contains("restored into database '" + FRESH + "' (created)")
        .contains("2 tables checked against the manifest");
    assertThat(pg.contentFingerprint(FRESH)).isEqualTo(pg.contentFingerprint(SOURCE));
  }

  @ParameterizedTest(name = "{0}, encrypted {1}")
  @CsvSource({"ZSTD,false", "ZSTD,true", "NONE,false", "NONE,true"})
  void zstdAndUncompressedBackups_restore_withEveryRowCountChecked(
      CompressionFormat format, boolean encrypted) throws Exception {
    BackupOutcome backup =
        databaseBackup(
            dir,
            pg,
            SOURCE,
            encrypted ? KeyringEntry.of("ops", PASSPHRASE) : null,
            new Compression(format, format.defaultLevel(), 2));

    Run r =
        restore(
            encrypted ? withKey(urlEnv(pg, FRESH)) : urlEnv(pg, FRESH),
            file(dir, backup),
            "--confirm",
            FRESH);

    assertThat(file(dir, backup).toString())
        .endsWith(".sql" + format.suffix() + (encrypted ? ".enc" : ""));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("2 tables checked against the manifest");
    assertThat(pg.contentFingerprint(FRESH)).isEqualTo(pg.contentFingerprint(SOURCE));
  }

  @Test
  void rotation_backUpUnderKeyA_rekeyToB_removeA_andTheRestoreStillWorks() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, KeyringEntry.of("ops", PASSPHRASE));
    String keyB = "the rotated key B";
    Map<String, String> rotating = new HashMap<>(urlEnv(pg, FRESH));
    rotating.put("BACKUP_ENCRYPTION_KEY", keyB);
    rotating.put("BACKUP_ENCRYPTION_KEY_ID", "ops-b");
    rotating.put("BACKUP_ENCRYPTION_OLD_KEYS", "ops:" + PASSPHRASE);
    Run rekey = run(rotating, "rekey", file(dir, backup).toString());
    assertThat(rekey.code()).as(rekey.out() + rekey.err()).isZero();

    Map<String, String> onlyB = new HashMap<>(urlEnv(pg, FRESH));
    onlyB.put("BACKUP_ENCRYPTION_KEY", keyB);
    onlyB.put("BACKUP_ENCRYPTION_KEY_ID", "ops-b");
    Run r = restore(onlyB, file(dir, backup), "--confirm", FRESH);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(pg.contentFingerprint(FRESH)).isEqualTo(pg.contentFingerprint(SOURCE));
    Map<String, String> onlyA = withKey(urlEnv(pg, FRESH));
    assertThat(restore(onlyA, file(dir, backup), "--confirm", FRESH, "--dry-run").code())
        .as("key A no longer opens it")
        .isNotZero();
  }

  @Test
  void restoreBesideTheUrlsDatabase_replacesOnlyTheNamedOne() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, KeyringEntry.of("ops", PASSPHRASE));
    String before = pg.contentFingerprint(TARGET);

    Run r =
        restore(
            withKey(urlEnv(pg, TARGET)),
            file(dir, backup),
            "--database",
            FRESH,
            "--confirm",
            FRESH);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(pg.contentFingerprint(FRESH)).isEqualTo(pg.contentFingerprint(SOURCE));
    assertThat(pg.contentFingerprint(TARGET)).isEqualTo(before);
  }

  @Test
  void wrongConfirm_isAUsageError_beforeTheServerIsContacted() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, null);
    // nothing listens on port 1: contacting it would be a database error, not a usage error
    Map<String, String> nowhere =
        Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/" + TARGET);

    Run wrong = restore(nowhere, file(dir, backup), "--confirm", "kanbu");
    Run wrongDatabase =
        restore(nowhere, file(dir, backup), "--database", FRESH, "--confirm", TARGET);
    Run right = restore(nowhere, file(dir, backup), "--confirm", TARGET);

    assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrong.err())
        .contains("--confirm 'kanbu' does not name the database")
        .contains("'" + TARGET + "'")
        .contains("nothing was contacted");
    assertThat(wrong.out()).isEmpty();
    assertThat(wrongDatabase.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(right.code()).as(right.err()).isEqualTo(ExitCodes.DATABASE_ERROR);
    assertThat(right.err()).contains("refused the connection");
  }

  @Test
  void passwordInTheUrl_isNeverPrinted() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, null);
    String url = "postgresql://postgres:s3cret-pw@127.0.0.1:1/" + TARGET;

    Run r = restore(Map.of(), file(dir, backup), "--database-url", url, "--confirm", TARGET);

    assertThat(r.code()).isEqualTo(ExitCodes.DATABASE_ERROR);
    assertThat(r.out() + r.err()).doesNotContain("s3cret-pw").contains("postgres@127.0.0.1:1");
    assertThat(r.err()).contains("visible in the process list");
  }

  @Test
  void dryRun_printsThePreflight_andChangesNothing() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, KeyringEntry.of("ops", PASSPHRASE));
    String before = pg.contentFingerprint(TARGET);

    Run r =
        restore(withKey(urlEnv(pg, TARGET)), file(dir, backup), "--confirm", TARGET, "--dry-run");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("pre-flight:")
        .contains("exists and holds data: it will be replaced (no safety backup is taken)")
        .contains("sessions:    none")
        .contains("dry run: every pre-flight check passed; nothing was changed");
    assertThat(pg.contentFingerprint(TARGET)).isEqualTo(before);
  }

  @Test
  void otherSessions_refuseTheRestore_unlessTerminateConnections() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, null);
    String before = pg.contentFingerprint(TARGET);

    try (Connection other = pg.connect(TARGET)) {
      Run r = restore(urlEnv(pg, TARGET), file(dir, backup), "--confirm", TARGET);

      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.RESTORE_REFUSED);
      assertThat(r.out()).contains("REFUSED:").contains("other connection(s)");
      assertThat(r.err()).contains("refused before anything changed");
      assertThat(other.isValid(2)).isTrue();
    }
    assertThat(pg.contentFingerprint(TARGET)).isEqualTo(before);
  }

  @Test
  void dumpWhoseTailIsInvalid_failsWithPsqlsError_andLeavesTheDatabaseUnchanged() throws Exception {
    BackupOutcome plain = databaseBackup(dir, pg, SOURCE, null);
    byte[] dump = gunzip(Files.readAllBytes(file(dir, plain)));
    Path broken = dir.resolve("kanbu_backup_broken.sql.gz");
    Files.write(broken, gzip(concat(dump, "INSERT INTO no_such_table VALUES (1);\n")));
    String before = pg.contentFingerprint(TARGET);

    Run r = restore(urlEnv(pg, TARGET), broken, "--confirm", TARGET);

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.RESTORE_FAILED);
    assertThat(r.out()).contains("no manifest and no header");
    assertThat(r.err()).contains("no_such_table").contains("rolled back");
    assertThat(pg.contentFingerprint(TARGET)).isEqualTo(before);
  }

  @Test
  void legacyPlainSqlGz_restores_withTheWarningThatNoRowCountsAreCompared() throws Exception {
    Path legacy = dir.resolve("kanbu_backup_2024-05-01T02-00-00.sql.gz");
    Files.write(
        legacy,
        gzip(
            "CREATE TABLE public.legacy_item (id integer PRIMARY KEY, label text NOT NULL);\n"
                + "INSERT INTO public.legacy_item VALUES (1, 'one'), (2, 'two');\n"));

    Run r = restore(urlEnv(pg, TARGET), legacy, "--confirm", TARGET);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("gzip, not encrypted")
        .contains("there are no row counts to compare")
        .contains("row counts:  not compared");
    try (Connection c = pg.connect(TARGET);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM legacy_item")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(2);
    }
    // the restore replaced the database: what was there before is gone
    assertThat(pg.contentFingerprint(TARGET)).doesNotContain("kept");
  }

  @Test
  void legacyEncryptedFixture_thatCommitsOnItsOwn_isRefusedByTheGuard_andNothingStays()
      throws Exception {
    // make-legacy-fixtures.mjs wraps the SQL in BEGIN/COMMIT, which would end psql -1's
    // transaction before the end of the input: the restore's completion guard fails that COMMIT
    Path legacy = LEGACY_FIXTURES.resolve("legacy-hexkey.sql.gz.enc");
    Map<String, String> env = new HashMap<>(urlEnv(pg, FRESH));
    env.put("BACKUP_ENCRYPTION_KEY", LEGACY_HEX_KEY);

    Run r = restore(env, legacy, "--confirm", FRESH);

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.RESTORE_FAILED);
    assertThat(r.out()).contains("legacy Kanbu encrypted file");
    assertThat(r.err()).contains("the input ended before the restore was complete");
    try (Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + FRESH + "'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("the database the failed restore created is dropped").isZero();
    }
  }

  @Test
  void encryptedBackupWithoutKey_exitsKeyMissing_beforeTheServerIsContacted() throws Exception {
    BackupOutcome backup = databaseBackup(dir, pg, SOURCE, KeyringEntry.of("ops", PASSPHRASE));

    Run r =
        restore(
            Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/" + TARGET),
            file(dir, backup),
            "--confirm",
            TARGET);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.KEY_MISSING);
  }

  // --- fixtures

  /**
   * {@code DATABASE_URL} without a password, and the password (if the test server has one) in
   * {@code PGPASSWORD}, as the README recommends.
   */
  static Map<String, String> urlEnv(PostgresEndpoint pg, String database) {
    Map<String, String> env = new HashMap<>();
    env.put(
        "DATABASE_URL",
        "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + "/" + database);
    if (!pg.password().isEmpty()) {
      env.put("PGPASSWORD", pg.password());
    }
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
    return env;
  }

  /** {@code restore FILE OPTIONS…} in-process. */
  static Run restore(Map<String, String> env, Path backupFile, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "restore";
    args[1] = backupFile.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    return run(env, args);
  }

  static Map<String, String> withKey(Map<String, String> env) {
    Map<String, String> withKey = new HashMap<>(env);
    withKey.put("BACKUP_ENCRYPTION_KEY", PASSPHRASE);
    return withKey;
  }

  static void sql(String db, String... statements) throws Exception {
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  static void drop(String db) throws Exception {
    sql(pg.adminDatabase(), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }

  static byte[] gzip(String sql) throws IOException {
    return gzip(sql.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static byte[] concat(byte[] a, String b) {
    byte[] tail = b.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(a, a.length + tail.length);
    System.arraycopy(tail, 0, out, a.length, tail.length);
    return out;
  }
}
