package io.kanbu.backup.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PostgresContainer;
import io.kanbu.backup.core.source.PostgresContainerLocator;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.StandInDocker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore in docker mode, with the stand-in docker client running the real psql against the
 * test server: every statement and the apply go through {@code docker exec -i <container> psql}, as
 * a role whose password the server checks and that only the docker client's environment holds.
 */
@ExtendWith(ExternalServices.class)
class DockerRestoreIT {

  static final String DB = "kanbu_it_dockrestore_app";
  static final String SCRATCH = "kanbu_it_dockrestore_scratch";
  static final String ROLE = "kanbu_it_dockrestore_pw";
  static final String PASSWORD = "D0cker-Restore-Env-0nly";
  static final String CONTAINER = "postgres-kanbu-1";
  static PostgresEndpoint pg;

  @TempDir Path tmp;
  StandInDocker standIn;
  LocalStorageBackend storage;
  Keyring keyring;
  DatabaseRestore restore;
  DockerTargetDatabase target;

  @BeforeAll
  static void services() throws Exception {
    pg = ExternalServices.postgres();
    // a superuser, so the restore may end others' sessions and own what the dump creates
    pg.passwordRole(ROLE, PASSWORD, "SUPERUSER");
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    sql(
        pg.adminDatabase(),
        "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + SCRATCH + " WITH (FORCE)");
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    pg.recreateDatabase(DB);
    sql(pg.adminDatabase(), "DROP DATABASE IF EXISTS " + SCRATCH + " WITH (FORCE)");
    sql(
        DB,
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.item (id int PRIMARY KEY, label text NOT NULL)",
        "INSERT INTO shop.item SELECT g, 'item ' || g FROM generate_series(1, 3000) g",
        "CREATE TABLE note (id serial PRIMARY KEY, body text)",
        "INSERT INTO note (body) VALUES ('first'), ('second')");
    standIn = StandInDocker.install(tmp.resolve("fake-docker"), pg);
    standIn.containersRunning("web-1", CONTAINER);
    storage = new LocalStorageBackend(tmp.resolve("store"));
    keyring = Keyring.of(KeyringEntry.of("ops", "docker restore test passphrase"));
    restore = new DatabaseRestore(PgToolLocator.systemDefault(), keyring, Clock.systemUTC());
    target = dockerTarget(DB);
  }

  @Test
  void restoreOverAChangedDatabase_throughExecI_leavesExactlyTheBackedUpContents()
      throws Exception {
    StoredBackup backup = backUp();
    String before = fingerprint(DB);
    sql(
        DB,
        "DELETE FROM shop.item WHERE id > 2000",
        "UPDATE note SET body = 'changed'",
        "CREATE TABLE shop.item_archive (id int)");

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);
    RestoreOutcome outcome = restore.apply(plan, target, storage, backup, null);

    assertThat(plan.needsSafetyBackup()).isTrue();
    assertThat(plan.psql().path()).isEqualTo(Path.of("psql"));
    assertThat(outcome.tablesChecked()).isEqualTo(2);
    assertThat(fingerprint(DB)).isEqualTo(before);
    List<StandInDocker.Call> calls = standIn.calls();
    assertThat(calls)
        .anySatisfy(
            c ->
                assertThat(c.args()).containsExactly("exec", "-i", CONTAINER, "psql", "--version"));
    StandInDocker.Call apply =
        calls.stream()
            .filter(c -> c.args().contains("ON_ERROR_STOP=1") && c.args().contains("-1"))
            .findFirst()
            .orElseThrow();
    assertThat(apply.line())
        .isEqualTo(
            "exec -i -e PGPASSWORD -e PGAPPNAME %s psql -X -1 -v ON_ERROR_STOP=1 -q -w -f - -U %s -d %s"
                .formatted(CONTAINER, ROLE, DB));
    assertThat(apply.passwordInEnvironment()).isTrue();
    assertThat(calls)
        .filteredOn(c -> c.args().contains("-c"))
        .as("pre-flight and ANALYZE as statements in the container")
        .anySatisfy(c -> assertThat(c.line()).contains("pg_stat_activity"))
        .anySatisfy(c -> assertThat(c.args()).contains("ANALYZE"))
        .allSatisfy(
            c -> {
              assertThat(c.args())
                  .containsSubsequence(
                      "exec", "-i", "-e", "PGPASSWORD", "-e", "PGAPPNAME", CONTAINER, "psql");
              assertThat(c.passwordInEnvironment()).isTrue();
            });
    assertThat(calls)
        .allSatisfy(
            c -> {
              assertThat(c.line()).doesNotContain(PASSWORD);
              assertThat(c.args()).doesNotContain("-t", "-it", "-ti");
            });
  }

  @Test
  void dumpThatFailsHalfway_rollsBack_andLeavesTheTargetUnchanged() throws Exception {
    byte[] dump = dumpSql();
    sql(DB, "UPDATE note SET body = 'changed since the backup'");
    String before = fingerprint(DB);
    byte[] broken =
        DatabaseRestoreIT.concat(dump, "INSERT INTO no_such_table VALUES (1);\n".getBytes());
    StoredBackup backup =
        legacyPlain("default/database/kanbu_backup_broken.sql.gz", DatabaseRestoreIT.gzip(broken));

    PreflightReport plan = restore.preflight(target, "default", DB, backup, false);

    assertThatThrownBy(() -> restore.apply(plan, target, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining("no_such_table")
        .hasMessageContaining("rolled back");
    assertThat(fingerprint(DB)).isEqualTo(before);
  }

  @Test
  void statementsThroughTheContainer_answerAsJdbcDoes_andChangeWhatTheySay() throws Exception {
    JdbcTargetDatabase jdbc =
        new JdbcTargetDatabase(
            DatabaseConnection.parse(pg.databaseUrl(DB)), "default", "DATABASE_URL");
    try (Connection busy = pg.connect(DB)) {
      assertThat(target.serverVersion()).isEqualTo(jdbc.serverVersion());
      assertThat(target.exists(DB)).isTrue();
      assertThat(target.exists(SCRATCH)).isFalse();
      assertThat(target.isEmpty(DB)).isFalse();
      assertThat(target.settingsOf(DB)).isNotNull().isEqualTo(jdbc.settingsOf(DB));
      assertThat(target.settingsOf(SCRATCH)).isNull();
      assertThat(target.otherSessions(DB)).hasSize(1).isEqualTo(jdbc.otherSessions(DB));

      target.create(SCRATCH, target.settingsOf(DB));
      assertThat(jdbc.settingsOf(SCRATCH)).isEqualTo(jdbc.settingsOf(DB));
      assertThat(target.isEmpty(SCRATCH)).isTrue();
      target.analyze(SCRATCH);
      assertThat(target.terminateSessions(DB)).isEqualTo(1);
      assertThat(busy.isValid(2)).isFalse();
      target.dropIfExists(SCRATCH);
      assertThat(jdbc.exists(SCRATCH)).isFalse();
    }
  }

  @Test
  void failedRestoreIntoTheConfiguredDatabaseItCreated_dropsItAgain() throws Exception {
    byte[] broken = DatabaseRestoreIT.concat(dumpSql(), "SELEC 1;\n".getBytes());
    StoredBackup backup =
        legacyPlain("default/database/broken.sql.gz", DatabaseRestoreIT.gzip(broken));
    // POSTGRES_DB names a database that does not exist yet: statements go through 'postgres'
    DockerTargetDatabase fresh = dockerTarget(SCRATCH);

    PreflightReport plan = restore.preflight(fresh, "default", SCRATCH, backup, false);

    assertThat(plan.databaseExists()).isFalse();
    assertThatThrownBy(() -> restore.apply(plan, fresh, storage, backup, null))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining("SELEC");
    assertThat(target.exists(SCRATCH)).isFalse();
  }

  @Test
  void autoMode_forARestore_choosesDocker_whenNoUrlIsSet_orNoPsqlSuitsHere() throws Exception {
    DatabaseConnection url = DatabaseConnection.parse(pg.databaseUrl(DB));

    PgModeResolver.Decision noUrl = decideAuto(PgToolLocator.systemDefault(), null);
    PgModeResolver.Decision noPsql = decideAuto(new PgToolLocator(List.of(tmp)), url);
    PgModeResolver.Decision direct = decideAuto(PgToolLocator.systemDefault(), url);

    assertThat(noUrl.mode()).isEqualTo("docker");
    assertThat(noUrl.container()).isEqualTo(CONTAINER);
    assertThat(noUrl.reason()).contains("DATABASE_URL is not set", CONTAINER);
    assertThat(noPsql.mode()).isEqualTo("docker");
    assertThat(noPsql.reason()).contains("no suitable psql");
    assertThat(direct.mode()).isEqualTo("direct");
    assertThat(direct.reason()).contains("psql");
  }

  PgModeResolver.Decision decideAuto(PgToolLocator locator, @Nullable DatabaseConnection url) {
    DockerCli docker = new DockerCli(standIn.binary().toString());
    return new PgModeResolver(locator, new PostgresContainerLocator(docker))
        .decide(
            PgModeResolver.Mode.AUTO,
            url,
            "default",
            "DATABASE_URL",
            new PgModeResolver.ContainerSettings(null, PostgresContainerLocator.DEFAULT_PATTERN),
            "psql");
  }

  // --- fixtures

  DockerTargetDatabase dockerTarget(String database) {
    DatabaseConnection login =
        new DatabaseConnection("not-used-in-docker", 5432, database, ROLE, PASSWORD, Map.of());
    return new DockerTargetDatabase(
        new PostgresContainer(
            new DockerCli(standIn.binary().toString()),
            CONTAINER,
            login,
            "POSTGRES_USER and POSTGRES_DB"),
        "default");
  }

  /** A backup with exact row counts, taken directly (docker-mode backups have none). */
  StoredBackup backUp() {
    return DatabaseRestoreIT.backUp(DatabaseConnection.parse(pg.databaseUrl(DB)), storage, keyring);
  }

  StoredBackup legacyPlain(String key, byte[] gz) {
    return DatabaseRestoreIT.legacyPlain(storage, key, gz);
  }

  byte[] dumpSql() throws IOException {
    StoredBackup plain =
        DatabaseRestoreIT.backUp(DatabaseConnection.parse(pg.databaseUrl(DB)), storage, null);
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(tmp.resolve("store").resolve(plain.objectKey())))) {
      return in.readAllBytes();
    }
  }

  static void sql(String db, String... statements) throws Exception {
    pg.execute(db, statements);
  }

  static String fingerprint(String db) throws Exception {
    return pg.contentFingerprint(db);
  }
}
