package io.kanbu.backup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain with real pg_dump data into local storage, and the ways it fails. */
@ExtendWith(ExternalServices.class)
class DatabaseBackupIT {

  static final String DB = "kanbu_it_core_backup";
  static final String RESTORED = "kanbu_it_core_restored";
  static PostgresEndpoint pg;

  @TempDir Path tmp;

  @BeforeAll
  static void createDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(DB);
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA app");
      s.execute(
          "CREATE TABLE app.item (id bigserial PRIMARY KEY, label text, data bytea, doc jsonb)");
      // ~ 20 MB of raw dump, more than any buffer
      s.execute(
          "INSERT INTO app.item (label, data, doc) SELECT 'item ' || g || ' ünïcödé', "
              + "decode(md5(g::text), 'hex'), jsonb_build_object('n', g) FROM generate_series(1, 200000) g");
    }
  }

  @Test
  void backup_storesAGzippedDumpWhoseDigestMatches_andThatRestores() throws Exception {
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    DatabaseBackup backup = new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC());
    String key = "default/database/kanbu_backup_2026-01-01T00-00-00_abcdef12.sql.gz";

    BackupOutcome outcome =
        backup.backup(
            DatabaseConnection.parse(pg.databaseUrl(DB)),
            storage,
            key,
            DatabaseBackupOptions.of("default", "DATABASE_URL")
                .withCompression(Compression.gzip(6)));

    Path file = tmp.resolve("store").resolve(key);
    byte[] stored = Files.readAllBytes(file);
    assertThat(outcome.fileName()).isEqualTo("kanbu_backup_2026-01-01T00-00-00_abcdef12.sql.gz");
    assertThat(outcome.storageName()).isEqualTo("local");
    assertThat(outcome.pipeline().storedBytes()).isEqualTo(stored.length);
    assertThat(outcome.pipeline().sha256Stored())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    assertThat(outcome.pipeline().rawBytes()).isGreaterThan(10_000_000L);
    assertThat(outcome.serverVersion()).matches("\\d+\\.\\d+");
    byte[] sql;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      sql = in.readAllBytes();
    }
    assertThat((long) sql.length).isEqualTo(outcome.pipeline().rawBytes());
    assertThat(new String(sql, 0, 2000, StandardCharsets.UTF_8))
        .contains("PostgreSQL database dump");

    // restore by hand, as an operator would: gunzip | psql
    pg.recreateDatabase(RESTORED);
    Process psql =
        new ProcessBuilder(
                "sh",
                "-c",
                "gunzip -c \"$1\" | psql -X -q -v ON_ERROR_STOP=1 -h \"$2\" -p \"$3\" -U \"$4\" -d \"$5\"",
                "restore",
                file.toString(),
                pg.host(),
                Integer.toString(pg.port()),
                pg.user(),
                RESTORED)
            .redirectErrorStream(true)
            .start();
    String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(psql.waitFor()).as(output).isZero();
    try (Connection c = pg.connect(RESTORED);
        Statement s = c.createStatement();
        var rs =
            s.executeQuery("SELECT count(*), sum(length(data)), max(doc->>'n') FROM app.item")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(200_000);
      assertThat(rs.getLong(2)).isEqualTo(200_000L * 16);
    }
  }

  @Test
  void pgDumpTooOld_failsBeforeAnythingIsStored() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("oldbin"));
    Path fake = bin.resolve("pg_dump");
    Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    DatabaseBackup backup = new DatabaseBackup(new PgToolLocator(List.of(bin)), Clock.systemUTC());

    assertThatThrownBy(
            () ->
                backup.backup(
                    DatabaseConnection.parse(pg.databaseUrl(DB)),
                    storage,
                    "default/database/x.sql.gz",
                    DatabaseBackupOptions.of("default", "DATABASE_URL")))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("9.6.24")
        .hasMessageContaining("install postgresql-client-");
    assertThat(storage.list("")).isEmpty();
  }

  @Test
  void pgDumpFailingMidway_leavesNoObject() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("badbin"));
    Path fake = bin.resolve("pg_dump");
    Files.writeString(
        fake,
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 'pg_dump (PostgreSQL) 99.0'; exit 0; fi\n"
            + "head -c 3000000 /dev/urandom\necho 'pg_dump: error: connection lost' >&2\nexit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    DatabaseBackup backup = new DatabaseBackup(new PgToolLocator(List.of(bin)), Clock.systemUTC());

    assertThatThrownBy(
            () ->
                backup.backup(
                    DatabaseConnection.parse(pg.databaseUrl(DB)),
                    storage,
                    "default/database/x.sql.gz",
                    DatabaseBackupOptions.of("default", "DATABASE_URL")))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("connection lost");
    assertThat(storage.list("")).isEmpty();
    try (var files = Files.walk(tmp.resolve("store"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
