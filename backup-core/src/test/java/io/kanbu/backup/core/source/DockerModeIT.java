package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.DatabaseBackupOptions;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.StandInDocker;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker mode and auto mode without a Docker engine: a stand-in {@code docker} executable answers
 * {@code ps} from a container list, runs the real pg_dump and psql for {@code exec -i}, can play a
 * daemon that is down or a container that exited, and logs its exact arguments and whether {@code
 * PGPASSWORD} was in its environment.
 */
@ExtendWith(ExternalServices.class)
class DockerModeIT {

  static final String DB = "kanbu_it_s_docker";
  static final String ROLE = "kanbu_it_s_docker_pw";
  static final String PASSWORD = "S3cret-In-Env-0nly";
  static PostgresEndpoint pg;

  @TempDir Path tmp;
  StandInDocker standIn;
  DockerCli docker;

  @BeforeAll
  static void createDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(DB);
    pg.passwordRole(ROLE, PASSWORD, "");
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE gadget (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO gadget SELECT g, 'gadget ' || g FROM generate_series(1, 100) g");
      s.execute("GRANT SELECT ON gadget TO " + ROLE);
    }
  }

  @BeforeEach
  void installStandIn() throws Exception {
    standIn = StandInDocker.install(tmp.resolve("fake-docker"), pg);
    docker = new DockerCli(standIn.binary().toString());
  }

  void containersRunning(String... names) throws Exception {
    standIn.containersRunning(names);
  }

  List<StandInDocker.Call> calls() throws Exception {
    return standIn.calls();
  }

  DatabaseConnection roleConnection() {
    return new DatabaseConnection("ignored-in-docker", 5432, DB, ROLE, PASSWORD, Map.of());
  }

  PostgresContainer container(String name) {
    return new PostgresContainer(docker, name, roleConnection(), "POSTGRES_USER");
  }

  @Test
  void dockerMode_dumpsThroughExecI_withThePasswordOnlyInTheEnvironment() throws Exception {
    containersRunning("web-1", "postgres-kanbu-1");
    PgModeResolver resolver =
        new PgModeResolver(PgToolLocator.systemDefault(), new PostgresContainerLocator(docker));
    PgModeResolver.Decision decision =
        resolver.decide(
            PgModeResolver.Mode.DOCKER,
            null,
            "default",
            "DATABASE_URL",
            new PgModeResolver.ContainerSettings(null, "postgres-"));
    assertThat(decision.mode()).isEqualTo("docker");
    assertThat(decision.container()).isEqualTo("postgres-kanbu-1");
    assertThat(decision.reason()).contains("postgres-kanbu-1", "starts with 'postgres-'");

    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    BackupOutcome outcome =
        new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
            .backupViaDocker(
                container(decision.container()),
                storage,
                "default/database/d.sql.gz",
                DatabaseBackupOptions.of("default", "DATABASE_URL"));

    String sql;
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(tmp.resolve("store/default/database/d.sql.gz")))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(sql).contains("DROP TABLE IF EXISTS public.gadget").contains("gadget 99");
    assertThat(outcome.serverVersion()).matches("\\d+\\.\\d+");
    StandInDocker.Call dump =
        calls().stream()
            .filter(c -> c.args().contains("pg_dump") && c.args().contains("--clean"))
            .findFirst()
            .orElseThrow();
    assertThat(dump.args())
        .containsExactly(
            "exec",
            "-i",
            "-e",
            "PGPASSWORD",
            "-e",
            "PGAPPNAME",
            "postgres-kanbu-1",
            "pg_dump",
            "-w",
            "--clean",
            "--if-exists",
            "--format=plain",
            "-U",
            ROLE,
            "-d",
            DB);
    assertThat(dump.passwordInEnvironment()).isTrue();
    assertThat(calls())
        .allSatisfy(
            c -> {
              assertThat(String.join(" ", c.args())).doesNotContain(PASSWORD);
              assertThat(c.args()).doesNotContain("-t", "-it", "-ti");
            });
  }

  @Test
  void dockerMode_encryptsAndWritesTheManifest_likeDirectMode_withoutRowCounts() throws Exception {
    containersRunning("postgres-kanbu-1");
    EnvelopeEncryption encryption =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("k-docker", "a passphrase for the test")),
            new Argon2idParameters(1024, 1, 1));
    UUID backupId = UUID.randomUUID();
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    String key = "default/database/d.sql.gz.enc";

    BackupOutcome outcome =
        new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
            .backupViaDocker(
                container("postgres-kanbu-1"),
                storage,
                key,
                DatabaseBackupOptions.of("default", "DATABASE_URL")
                    .withIds(backupId, UUID.randomUUID())
                    .withEncryption(encryption));

    assertThat(outcome.encrypted()).isTrue();
    assertThat(outcome.keyId()).isEqualTo("k-docker");
    String sql;
    try (InputStream in =
        new GZIPInputStream(
            encryption.decrypt(
                Files.newInputStream(tmp.resolve("store").resolve(key)), backupId))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(sql).contains("gadget 99");
    BackupManifest manifest =
        new ManifestCodec()
            .decode(
                Files.readAllBytes(tmp.resolve("store").resolve(outcome.manifestKey())),
                outcome.manifestKey());
    assertThat(manifest.kind()).isEqualTo("database");
    assertThat(manifest.backupId()).isEqualTo(backupId);
    assertThat(manifest.encryption().keyId()).isEqualTo("k-docker");
    assertThat(manifest.sha256Stored()).isEqualTo(outcome.pipeline().sha256Stored());
    // counted from the dump's stream: exact in docker mode too, with no SQL connection
    assertThat(manifest.rowCounts().mode()).isEqualTo("exact");
    assertThat(manifest.rowCounts().tables())
        .containsExactly(new BackupManifest.TableRows("public", "gadget", 100));
  }

  @Test
  void container_isTheExactName_elseThePatternsFirst_elseKanbuPostgres_elseAnErrorListingNames()
      throws Exception {
    PostgresContainerLocator locator = new PostgresContainerLocator(docker);

    containersRunning("web-1", "postgres-a", "db.main");
    assertThat(locator.locate("db.main", "postgres-").name()).isEqualTo("db.main");
    assertThat(calls().getFirst().args())
        .containsExactly("ps", "--filter", "name=^db\\.main$", "--format", "{{.Names}}");
    assertThat(locator.locate("db-gone", "postgres-").name()).isEqualTo("postgres-a");
    containersRunning("web-1", "kanbu-postgres");
    assertThat(locator.locate(null, "postgres-").name()).isEqualTo("kanbu-postgres");
    containersRunning("web-1", "cache");
    assertThatThrownBy(() -> locator.locate("db-gone", "postgres-"))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("PostgreSQL container not found")
        .hasMessageContaining("[web-1, cache]")
        .hasMessageContaining("POSTGRES_CONTAINER");
  }

  @Test
  void daemonDown_isAClearTransientError() throws Exception {
    containersRunning("postgres-a");
    standIn.daemonDown();

    assertThatThrownBy(() -> new PostgresContainerLocator(docker).locate(null, "postgres-"))
        .isInstanceOf(TransientBackupException.class)
        .hasMessageContaining("docker daemon is not reachable")
        .hasMessageContaining("Is the docker daemon running?");
  }

  @Test
  void containerThatExited_failsTheBackup_andStoresNothing() throws Exception {
    containersRunning("postgres-a");
    standIn.containerExited("postgres-a");
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));

    assertThatThrownBy(
            () ->
                new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
                    .backupViaDocker(
                        container("postgres-a"),
                        storage,
                        "default/database/x.sql.gz",
                        DatabaseBackupOptions.of("default", "DATABASE_URL")))
        .hasMessageContaining("container postgres-a is not running");
    assertThat(storage.list("")).isEmpty();
  }

  @Test
  void auto_choosesDirect_whenTheUrlIsSet_pgDumpSuits_andTheServerAnswers() throws Exception {
    containersRunning("postgres-a");
    PgModeResolver.Decision decision =
        resolver(PgToolLocator.systemDefault())
            .decide(
                PgModeResolver.Mode.AUTO,
                DatabaseConnection.parse(pg.databaseUrl(DB)),
                "default",
                "DATABASE_URL",
                new PgModeResolver.ContainerSettings(null, "postgres-"));

    assertThat(decision.mode()).isEqualTo("direct");
    assertThat(decision.reason()).contains("DATABASE_URL is set", "the server answers");
    assertThat(calls()).as("docker not asked").isEmpty();
  }

  @Test
  void auto_choosesDocker_whenTheServerDoesNotAnswer_orNoPgDumpSuits_orNoUrl() throws Exception {
    containersRunning("postgres-a");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PgModeResolver.ContainerSettings settings =
        new PgModeResolver.ContainerSettings(null, "postgres-");

    PgModeResolver.Decision refused =
        resolver(PgToolLocator.systemDefault())
            .decide(
                PgModeResolver.Mode.AUTO,
                DatabaseConnection.parse("postgresql://postgres@127.0.0.1:" + closedPort + "/x"),
                "default",
                "DATABASE_URL",
                settings);
    PgModeResolver.Decision noPgDump =
        resolver(new PgToolLocator(List.of(tmp)))
            .decide(
                PgModeResolver.Mode.AUTO,
                DatabaseConnection.parse(pg.databaseUrl(DB)),
                "default",
                "DATABASE_URL",
                settings);
    PgModeResolver.Decision noUrl =
        resolver(PgToolLocator.systemDefault())
            .decide(PgModeResolver.Mode.AUTO, null, "default", "DATABASE_URL", settings);

    assertThat(refused.mode()).isEqualTo("docker");
    assertThat(refused.reason()).contains("refused the connection", "postgres-a");
    assertThat(noPgDump.mode()).isEqualTo("docker");
    assertThat(noPgDump.reason()).contains("no suitable pg_dump");
    assertThat(noUrl.mode()).isEqualTo("docker");
    assertThat(noUrl.reason()).contains("DATABASE_URL is not set");
  }

  @Test
  void auto_withNeitherWay_failsSayingWhatItTried() throws Exception {
    containersRunning("web-1");

    assertThatThrownBy(
            () ->
                resolver(PgToolLocator.systemDefault())
                    .decide(
                        PgModeResolver.Mode.AUTO,
                        null,
                        "default",
                        "DATABASE_URL",
                        new PgModeResolver.ContainerSettings(null, "postgres-")))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("no way to reach the database of target")
        .hasMessageContaining("DATABASE_URL is not set")
        .hasMessageContaining("no PostgreSQL container runs");
  }

  PgModeResolver resolver(PgToolLocator locator) {
    return new PgModeResolver(locator, new PostgresContainerLocator(docker));
  }
}
