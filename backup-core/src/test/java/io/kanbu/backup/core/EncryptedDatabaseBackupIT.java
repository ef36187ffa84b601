package io.kanbu.backup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.RowCountMode;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted database backups with their manifests, against the real PostgreSQL. */
@ExtendWith(ExternalServices.class)
class EncryptedDatabaseBackupIT {

  /** {@code -Dkanbu.it.worker-suffix=_x} gives a run its own databases. */
  static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");

  static final String DB = "kanbu_it_v_core_source" + SUFFIX;
  static final String RESTORED = "kanbu_it_v_core_restored" + SUFFIX;
  static final KeyringEntry KEY = KeyringEntry.of("k2026", "a passphrase for the test");
  static PostgresEndpoint pg;

  @TempDir Path tmp;

  @BeforeAll
  static void createDatabase() throws Exception {
    pg = ExternalServices.postgres();
    pg.recreateDatabase(DB);
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"Odd Schema\"");
      s.execute("CREATE TABLE \"Odd Schema\".\"Mixed\"\"Case\" (id int)");
      s.execute("INSERT INTO \"Odd Schema\".\"Mixed\"\"Case\" SELECT generate_series(1, 7)");
      s.execute("CREATE TABLE public.empty_table (id int)");
      s.execute("CREATE TABLE public.busy (id bigserial PRIMARY KEY, payload text)");
      s.execute(
          "INSERT INTO public.busy (payload) SELECT md5(g::text) || repeat('x', 200)"
              + " FROM generate_series(1, 150000) g");
    }
  }

  EnvelopeEncryption encryption() {
    return new EnvelopeEncryption(Keyring.of(KEY), new Argon2idParameters(1024, 1, 1));
  }

  @Test
  void encryptedBackup_decryptsToTheGzipWhoseSha256IsRecorded_andItsManifestCountsEveryTable()
      throws Exception {
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store"));
    UUID backupId = UUID.randomUUID();
    UUID jobId = UUID.randomUUID();
    String key =
        "default/database/kanbu_backup_2026-11-26T03-00-00_"
            + backupId.toString().substring(0, 8)
            + ".sql.gz.enc";

    BackupOutcome outcome =
        new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
            .backup(
                DatabaseConnection.parse(pg.databaseUrl(DB)),
                storage,
                key,
                DatabaseBackupOptions.of("default", "DATABASE_URL")
                    .withIds(backupId, jobId)
                    .withEncryption(encryption())
                    .withRowCounts(RowCountMode.EXACT));

    assertThat(outcome.keyId()).isEqualTo("k2026");
    Path file = tmp.resolve("store").resolve(key);
    assertThat(Files.readAllBytes(file)).startsWith('K', 'N', 'B', 'K');
    MessageDigest compressed = MessageDigest.getInstance("SHA-256");
    long raw;
    try (InputStream in =
        new GZIPInputStream(
            new DigestInputStream(
                encryption().decrypt(Files.newInputStream(file), backupId), compressed))) {
      raw = in.transferTo(OutputStream.nullOutputStream());
    }
    assertThat(HexFormat.of().formatHex(compressed.digest()))
        .isEqualTo(outcome.pipeline().sha256Compressed());
    assertThat(raw).isEqualTo(outcome.pipeline().rawBytes());

    BackupManifest manifest =
        new ManifestCodec()
            .decode(
                Files.readAllBytes(tmp.resolve("store").resolve(key + ".manifest.json")),
                outcome.manifestKey());
    assertThat(manifest.backupId()).isEqualTo(backupId);
    assertThat(manifest.jobId()).isEqualTo(jobId);
    assertThat(manifest.sha256Stored()).isEqualTo(outcome.pipeline().sha256Stored());
    assertThat(manifest.encryption()).isNotNull();
    assertThat(manifest.encryption().keyId()).isEqualTo("k2026");
    assertThat(manifest.rowCounts().mode()).isEqualTo("exact");
    Map<String, Long> counted = new LinkedHashMap<>();
    manifest.rowCounts().tables().forEach(t -> counted.put(t.schema() + "." + t.table(), t.rows()));
    assertThat(counted)
        .containsEntry("Odd Schema.Mixed\"Case", 7L)
        .containsEntry("public.empty_table", 0L)
        .containsEntry("public.busy", countOf(DB, "public.busy"));

    new BackupVerifier(encryption())
        .verify(
            storage,
            new ExpectedBackup(
                backupId,
                key,
                outcome.manifestKey(),
                outcome.pipeline().rawBytes(),
                outcome.pipeline().compressedBytes(),
                outcome.pipeline().storedBytes(),
                outcome.pipeline().sha256Compressed(),
                outcome.pipeline().sha256Stored(),
                true,
                CompressionFormat.GZIP));
  }

  @Test
  void exactRowCounts_describeTheDumpItself_evenWhileRowsAreInserted() throws Exception {
    LocalStorageBackend storage = new LocalStorageBackend(tmp.resolve("store2"));
    String key = "default/database/concurrent.sql.gz";
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong inserted = new AtomicLong();
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (Connection c = pg.connect(DB);
                      Statement s = c.createStatement()) {
                    while (writing.get()) {
                      s.execute("INSERT INTO public.busy (payload) VALUES ('during the dump')");
                      inserted.incrementAndGet();
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    BackupOutcome outcome;
    try {
      outcome =
          new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
              .backup(
                  DatabaseConnection.parse(pg.databaseUrl(DB)),
                  storage,
                  key,
                  DatabaseBackupOptions.of("default", "DATABASE_URL"));
    } finally {
      writing.set(false);
      writer.join();
    }
    assertThat(inserted.get()).isPositive();

    long inManifest =
        outcome.manifest().rowCounts().tables().stream()
            .filter(t -> t.table().equals("busy"))
            .findFirst()
            .orElseThrow()
            .rows();
    pg.recreateDatabase(RESTORED);
    Process psql =
        new ProcessBuilder(
                "sh",
                "-c",
                "gunzip -c \"$1\" | psql -X -q -v ON_ERROR_STOP=1 -h \"$2\" -p \"$3\" -U \"$4\" -d \"$5\"",
                "restore",
                tmp.resolve("store2").resolve(key).toString(),
                pg.host(),
                Integer.toString(pg.port()),
                pg.user(),
                RESTORED)
            .redirectErrorStream(true)
            .start();
    String output = new String(psql.getInputStream().readAllBytes());
    assertThat(psql.waitFor()).as(output).isZero();
    assertThat(countOf(RESTORED, "public.busy")).isEqualTo(inManifest);
  }

  static long countOf(String db, String table) throws Exception {
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
