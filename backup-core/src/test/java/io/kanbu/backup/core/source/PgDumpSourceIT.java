package io.kanbu.backup.core.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ExternalServices.class)
class PgDumpSourceIT {

  static final String DB = "kanbu_it_core_pgdump";

  /** A role that must log in with a password (see {@link #ensurePasswordRole}). */
  static final String PW_ROLE = "kanbu_it_core_pw";

  /** Characters that need escaping in a URL and in a pgpass file. */
  static final String PASSWORD = "S3cr:et@/%\\pw";

  static PostgresEndpoint pg;

  @TempDir Path tmp;

  @BeforeAll
  static void createDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(DB);
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fruit (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO fruit VALUES (1, 'äpfel ✓'), (2, 'banana')");
    }
    ensurePasswordRole(pg, PW_ROLE, PASSWORD, DB);
  }

  /**
   * Creates a login role with a password that the server really checks. The role joins {@code
   * kanbu_password_auth}; a server whose pg_hba.conf trusts local connections must list {@code host
   * all +kanbu_password_auth 127.0.0.1/32 scram-sha-256} before its trust lines (the PostgreSQL
   * container image asks every TCP client for a password anyway).
   */
  static void ensurePasswordRole(PostgresEndpoint pg, String role, String password, String db)
      throws Exception {
    try (Connection c = pg.connect(pg.adminDatabase());
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='kanbu_password_auth')"
              + " THEN CREATE ROLE kanbu_password_auth NOLOGIN; END IF; END$$");
      s.execute(
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='"
              + role
              + "') THEN CREATE ROLE "
              + role
              + " LOGIN; END IF; END$$");
      s.execute("ALTER ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      s.execute("GRANT kanbu_password_auth TO " + role);
      s.execute("GRANT ALL ON DATABASE " + db + " TO " + role);
    }
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
    }
    // the precondition, checked against the server rather than assumed
    DatabaseConnection wrong =
        new DatabaseConnection(
            pg.host(), pg.port(), db, role, "definitely-wrong", java.util.Map.of());
    try {
      PgDumpSource.queryServerVersion(wrong, "precondition", "TEST");
      throw new IllegalStateException(
          "the test PostgreSQL at "
              + pg.host()
              + ":"
              + pg.port()
              + " accepted a wrong password for '"
              + role
              + "'; add 'host all +kanbu_password_auth 127.0.0.1/32 scram-sha-256' before the"
              + " trust lines of its pg_hba.conf and reload it");
    } catch (PermanentBackupException expected) {
      // the server checks passwords
    }
  }

  static String url(String user, String password, String db) {
    return "postgresql://"
        + user
        + ":"
        + java.net.URLEncoder.encode(password, UTF_8).replace("+", "%20")
        + "@"
        + pg.host()
        + ":"
        + pg.port()
        + "/"
        + db;
  }

  static PgTool realPgDump(PgVersion server) {
    return PgToolLocator.systemDefault().locate("pg_dump", server);
  }

  @Test
  void realDump_streamsPlainSqlWithCleanStatements_overAPasswordConnection() throws IOException {
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgVersion server = PgDumpSource.queryServerVersion(conn, "default", "DATABASE_URL");
    PgDumpSource source = new PgDumpSource(conn, realPgDump(server), "default", "DATABASE_URL");
    AtomicReference<String> dump = new AtomicReference<>();

    long bytes = source.dump(in -> dump.set(new String(in.readAllBytes(), UTF_8)));

    assertThat(source.serverVersion()).isEqualTo(server);
    assertThat(source.pgDumpVersion().major()).isGreaterThanOrEqualTo(server.major());
    assertThat(bytes).isEqualTo(dump.get().getBytes(UTF_8).length);
    assertThat(dump.get())
        .contains("PostgreSQL database dump")
        .contains("DROP TABLE IF EXISTS public.fruit")
        .contains("CREATE TABLE public.fruit")
        .contains("äpfel ✓");
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("kanbu-pgpass-"));
    }
  }

  @Test
  void wrongPassword_failsPermanently_withAClearMessage_thatHidesThePassword() {
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, "Wr0ngPassw0rd", DB));

    assertThatThrownBy(() -> PgDumpSource.queryServerVersion(conn, "default", "DATABASE_URL"))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("target 'default'")
        .hasMessageContaining("authentication failed for user '" + PW_ROLE + "'")
        .hasMessageContaining("check the user and password in DATABASE_URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Wr0ngPassw0rd"));
  }

  @Test
  void wrongPassword_givenToPgDumpItself_failsWithItsStderr() throws Exception {
    // bypass the JDBC pre-check: pg_dump is run directly with a bad password
    DatabaseConnection good = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgVersion server = PgDumpSource.queryServerVersion(good, "default", "DATABASE_URL");
    DatabaseConnection bad = DatabaseConnection.parse(url(PW_ROLE, "Wr0ngPassw0rd", DB));
    PgDumpSource source = new PgDumpSource(bad, realPgDump(server), "default", "DATABASE_URL");

    assertThatThrownBy(() -> source.dump(InputStream::readAllBytes))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("pg_dump for target 'default' failed with exit code 1")
        .hasMessageContaining("password authentication failed")
        .hasMessageContaining("DATABASE_URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Wr0ngPassw0rd"));
  }

  @Test
  void unreachablePort_failsTransiently_namingTheAddress() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    DatabaseConnection conn =
        DatabaseConnection.parse("postgresql://postgres@127.0.0.1:" + freePort + "/" + DB);

    assertThatThrownBy(() -> PgDumpSource.queryServerVersion(conn, "default", "DATABASE_URL"))
        .isInstanceOf(TransientBackupException.class)
        .hasMessageContaining("server 127.0.0.1:" + freePort + " refused the connection")
        .hasMessageContaining("check DATABASE_URL");
  }

  /** A fake pg_dump that records its argv, environment and pgpass file, then prints a line. */
  private Path recordingPgDump(String body) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path record = tmp.resolve("record");
    Path script = bin.resolve("pg_dump");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "if [ \"$1\" = \"--version\" ]; then echo 'pg_dump (PostgreSQL) 99.1'; exit 0; fi\n"
            + "printf '%s\\n' \"$@\" > '"
            + record
            + ".argv'\n"
            + "env > '"
            + record
            + ".env'\n"
            + "if [ -n \"$PGPASSFILE\" ]; then cat \"$PGPASSFILE\" > '"
            + record
            + ".pgpass'; stat -c %a \"$PGPASSFILE\" > '"
            + record
            + ".mode'; echo \"$PGPASSFILE\" > '"
            + record
            + ".path'; fi\n"
            + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void password_reachesPgDumpOnlyThroughA0600PassFile_neverArgvOrEnv() throws Exception {
    Path script = recordingPgDump("echo '-- fake dump'\n");
    DatabaseConnection conn =
        DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB) + "?sslmode=disable");
    PgTool tool = new PgTool("pg_dump", script, new PgVersion(990001));
    PgDumpSource source = new PgDumpSource(conn, tool, "default", "DATABASE_URL");

    long bytes = source.dump(InputStream::readAllBytes);

    Path record = tmp.resolve("record");
    List<String> argv = Files.readAllLines(Path.of(record + ".argv"));
    assertThat(bytes).isEqualTo("-- fake dump\n".length());
    assertThat(argv)
        .containsExactly(
            "-w",
            "--clean",
            "--if-exists",
            "--format=plain",
            "--no-password",
            "-h",
            pg.host(),
            "-p",
            Integer.toString(pg.port()),
            "-U",
            PW_ROLE,
            "-d",
            DB);
    assertThat(String.join(" ", argv)).doesNotContain(PASSWORD);
    String env = Files.readString(Path.of(record + ".env"));
    assertThat(env)
        .doesNotContain(PASSWORD)
        .doesNotContain("PGPASSWORD")
        .contains("PGSSLMODE=disable");
    assertThat(Files.readString(Path.of(record + ".mode")).strip()).isEqualTo("600");
    assertThat(Files.readString(Path.of(record + ".pgpass")))
        .isEqualTo(
            pg.host() + ":" + pg.port() + ":" + DB + ":" + PW_ROLE + ":" + "S3cr\\:et@/%\\\\pw\n");
    Path passFile = Path.of(Files.readString(Path.of(record + ".path")).strip());
    assertThat(passFile).doesNotExist();
  }

  @Test
  void nonZeroExit_failsWithTheStderrTail_andRemovesThePassFile() throws Exception {
    Path script =
        recordingPgDump(
            "echo 'partial output'\n"
                + "i=0; while [ $i -lt 3000 ]; do echo \"noise line $i of a long stderr\" >&2; i=$((i+1)); done\n"
                + "echo 'pg_dump: error: query failed: ERROR:  out of shared memory' >&2\n"
                + "exit 1\n");
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgDumpSource source =
        new PgDumpSource(
            conn, new PgTool("pg_dump", script, new PgVersion(990001)), "default", "DATABASE_URL");

    assertThatThrownBy(() -> source.dump(InputStream::readAllBytes))
        .isInstanceOf(TransientBackupException.class)
        .hasMessageContaining("failed with exit code 1")
        .hasMessageContaining("out of shared memory")
        .hasMessageNotContaining("noise line 0 ")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(5000));
    Path passFile = Path.of(Files.readString(tmp.resolve("record.path")).strip());
    assertThat(passFile).doesNotExist();
  }

  @Test
  void killedBySignal_isReportedAsSuch() throws Exception {
    Path script = recordingPgDump("echo 'some sql'\necho 'about to die' >&2\nkill -9 $$\n");
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgDumpSource source =
        new PgDumpSource(
            conn, new PgTool("pg_dump", script, new PgVersion(990001)), "default", "DATABASE_URL");

    assertThatThrownBy(() -> source.dump(InputStream::readAllBytes))
        .hasMessageContaining("was killed by signal 9")
        .hasMessageContaining("about to die");
  }

  @Test
  void emptyDump_withExitZero_failsPermanently() throws Exception {
    Path script = recordingPgDump("exit 0\n");
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgDumpSource source =
        new PgDumpSource(
            conn, new PgTool("pg_dump", script, new PgVersion(990001)), "default", "DATABASE_URL");

    assertThatThrownBy(() -> source.dump(InputStream::readAllBytes))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("empty dump");
  }

  @Test
  void consumerFailure_killsPgDump_andPropagates() throws Exception {
    Path script = recordingPgDump("yes 'INSERT INTO t VALUES (1);'\n");
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgDumpSource source =
        new PgDumpSource(
            conn, new PgTool("pg_dump", script, new PgVersion(990001)), "default", "DATABASE_URL");
    IllegalStateException boom = new IllegalStateException("storage full");

    assertThatThrownBy(
            () ->
                source.dump(
                    in -> {
                      in.readNBytes(1_000_000);
                      throw boom;
                    }))
        .isSameAs(boom);
  }

  @Test
  void serverVersionMismatch_failsPermanently_sayingWhichClientToInstall() throws Exception {
    Path script =
        recordingPgDump(
            "echo 'pg_dump: error: aborting because of server version mismatch' >&2\nexit 1\n");
    DatabaseConnection conn = DatabaseConnection.parse(url(PW_ROLE, PASSWORD, DB));
    PgVersion server = PgDumpSource.queryServerVersion(conn, "default", "DATABASE_URL");
    PgDumpSource source =
        new PgDumpSource(
            conn,
            new PgTool("pg_dump", script, new PgVersion(990001)),
            "default",
            "DATABASE_URL",
            server);

    assertThatThrownBy(() -> source.dump(InputStream::readAllBytes))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("server version mismatch")
        .hasMessageContaining("install postgresql-client-" + server.majorDisplay());
  }
}
