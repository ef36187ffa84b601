package io.kanbu.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a real process ({@code java -jar kanbu-backup-cli.jar}), on an encrypted backup
 * of a real database: the README's disaster recovery, inspect → verify → decrypt → gunzip | psql
 * into an empty database, with nothing else running.
 */
@ExtendWith(ExternalServices.class)
class CliJarIT {

  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  static final String SOURCE_DB = "kanbu_cli_test_source" + SUFFIX;
  static final String RESTORED_DB = "kanbu_cli_test_restored" + SUFFIX;
  static final String ONE_COMMAND_DB = "kanbu_cli_restore_jar" + SUFFIX;
  static final String PASSPHRASE = "disaster recovery passphrase";

  static PostgresEndpoint pg;

  @TempDir Path dir;

  @BeforeAll
  static void createDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(SOURCE_DB);
    pg.recreateDatabase(RESTORED_DB);
    try (Connection c = pg.connect(SOURCE_DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE widget (id bigserial PRIMARY KEY, label text NOT NULL)");
      s.execute("INSERT INTO widget (label) SELECT md5(g::text) FROM generate_series(1, 20000) g");
    }
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    try (Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + SOURCE_DB + " WITH (FORCE)");
      s.execute("DROP DATABASE IF EXISTS " + RESTORED_DB + " WITH (FORCE)");
      s.execute("DROP DATABASE IF EXISTS " + ONE_COMMAND_DB + " WITH (FORCE)");
    }
  }

  @Test
  void builtJar_inspectsVerifiesAndDecrypts_andTheDumpRestoresWithPsql() throws Exception {
    BackupOutcome outcome =
        CliFixtures.databaseBackup(dir, pg, SOURCE_DB, KeyringEntry.of("dr-key", PASSPHRASE));
    Path file = CliFixtures.file(dir, outcome);
    Path dump = dir.resolve("restored.sql.gz");
    Map<String, String> withKey = Map.of("BACKUP_ENCRYPTION_KEY", PASSPHRASE);

    Result inspect = jar(Map.of(), "inspect", file.toString());
    Result verify = jar(withKey, "verify", file.toString());
    Result wrong = jar(Map.of("BACKUP_ENCRYPTION_KEY", "not it"), "verify", file.toString());
    Result decrypt = jar(withKey, "decrypt", file.toString(), "-o", dump.toString());

    assertThat(inspect.code()).as(inspect.err()).isZero();
    assertThat(inspect.out()).contains("key id:          dr-key").contains("(self-checksum ok)");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("verified: all 6 checks passed");
    assertThat(wrong.code()).isEqualTo(ExitCodes.WRONG_KEY);
    assertThat(wrong.err().strip()).startsWith("kanbu-backup-cli: ").doesNotContain("\n");
    assertThat(decrypt.code()).as(decrypt.err()).isZero();
    assertThat(CliFixtures.sha256(Files.readAllBytes(dump)))
        .isEqualTo(outcome.pipeline().sha256Compressed());

    Process psql =
        new ProcessBuilder(
                "bash",
                "-c",
                "set -o pipefail; gunzip -c \"$1\" | psql -X -1 -v ON_ERROR_STOP=1 -q -d \"$2\"",
                "restore",
                dump.toString(),
                pg.databaseUrl(RESTORED_DB))
            .redirectErrorStream(true)
            .start();
    String psqlOutput = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(psql.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(psql.exitValue()).as(psqlOutput).isZero();
    try (Connection c = pg.connect(RESTORED_DB);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM widget")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(20000);
    }
  }

  @Test
  void builtJar_restoresAnEncryptedBackupInOneCommand_withTheUrlFromTheEnvironment()
      throws Exception {
    BackupOutcome outcome =
        CliFixtures.databaseBackup(dir, pg, SOURCE_DB, KeyringEntry.of("dr-key", PASSPHRASE));
    Map<String, String> env = new HashMap<>(OfflineRestoreIT.urlEnv(pg, ONE_COMMAND_DB));
    env.put("BACKUP_ENCRYPTION_KEY", PASSPHRASE);

    Result restore =
        jar(env, "restore", CliFixtures.file(dir, outcome).toString(), "--confirm", ONE_COMMAND_DB);

    assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
    assertThat(restore.out())
        .contains("psql:")
        .contains("(created)")
        .contains("1 tables checked against the manifest");
    assertThat(pg.contentFingerprint(ONE_COMMAND_DB)).isEqualTo(pg.contentFingerprint(SOURCE_DB));
  }

  @Test
  void builtJar_printsItsHelpWithTheExitCodes() throws Exception {
    Result help = jar(Map.of(), "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("inspect").contains("rekey");
  }

  record Result(int code, String out, String err) {}

  /** Runs the jar the build made, with only {@code env} added to a clean environment. */
  static Result jar(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String jarPath = System.getProperty("kanbu.cli.jar");
    assertThat(jarPath).as("system property kanbu.cli.jar (set by failsafe)").isNotNull();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jarPath);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("BACKUP_ENCRYPTION")
                    || k.equals("DATABASE_URL")
                    || k.equals("PGPASSWORD"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
