package io.kanbu.backup.cli;

import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.DatabaseBackupOptions;
import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.SourceBackupOptions;
import io.kanbu.backup.core.SourceBackupOutcome;
import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.RowCountMode;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** Real backup files made by the core pipeline, and a way to run the CLI in-process. */
final class CliFixtures {

  static final String HEX_KEY_A =
      "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
  static final String PASSPHRASE_B = "the new passphrase: rotated in 2026";

  /** The legacy fixtures of backup-core, made with Node's crypto by make-legacy-fixtures.mjs. */
  static final Path LEGACY_FIXTURES = Path.of("../backup-core/src/test/resources/crypto");

  private CliFixtures() {}

  /** What a run printed and returned. */
  record Run(int code, String out, String err, byte[] binary) {}

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    CommandLine cli = KanbuBackupCli.commandLine(env, binary);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString(), binary.toByteArray());
  }

  /**
   * A source backup (tar.gz, encrypted when {@code key} is non-null) of a small tree with a 3 MB
   * random file, so that the encrypted file has four 1 MiB segments; with its manifest beside it.
   */
  static SourceBackupOutcome sourceBackup(Path dir, KeyringEntry key) throws IOException {
    return sourceBackup(dir, key, Compression.gzip(6));
  }

  /** {@link #sourceBackup(Path, KeyringEntry)} in another compression, named as the worker does. */
  static SourceBackupOutcome sourceBackup(
      Path dir, @Nullable KeyringEntry key, Compression compression) throws IOException {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(tree.resolve("src/Main.java"), "class Main {}\n");
    byte[] random = new byte[3_000_000];
    new Random(11).nextBytes(random);
    Files.write(tree.resolve("blob.bin"), random);
    UUID backupId = UUID.randomUUID();
    boolean encrypted = key != null;
    String name = BackupFileNames.source(Instant.now(), backupId, compression.format(), encrypted);
    SourceBackupOptions options =
        SourceBackupOptions.of("default", "KANBU_SOURCE_PATH")
            .withCompression(compression)
            .withIds(backupId, UUID.randomUUID())
            .withEncryption(
                encrypted
                    ? new EnvelopeEncryption(Keyring.of(key), new Argon2idParameters(1024, 1, 1))
                    : null);
    return new SourceBackup(
            new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC())
        .backup(
            tree.toAbsolutePath(),
            new LocalStorageBackend(dir.resolve("store")),
            "default/source/" + name,
            options);
  }

  /**
   * A database backup of {@code database} made by the core pipeline into {@code dir/store}
   * (encrypted when {@code key} is non-null, passphrases stretched cheaply), with exact row counts
   * in its manifest.
   */
  static BackupOutcome databaseBackup(
      Path dir, PostgresEndpoint pg, String database, @Nullable KeyringEntry key) {
    return databaseBackup(dir, pg, database, key, Compression.gzip(6));
  }

  /** {@link #databaseBackup(Path, PostgresEndpoint, String, KeyringEntry)} in a compression. */
  static BackupOutcome databaseBackup(
      Path dir,
      PostgresEndpoint pg,
      String database,
      @Nullable KeyringEntry key,
      Compression compression) {
    UUID backupId = UUID.randomUUID();
    boolean encrypted = key != null;
    String name =
        BackupFileNames.database(Instant.now(), backupId, compression.format(), encrypted);
    return new DatabaseBackup(PgToolLocator.systemDefault(), Clock.systemUTC())
        .backup(
            DatabaseConnection.parse(pg.databaseUrl(database)),
            new LocalStorageBackend(dir.resolve("store")),
            "default/database/" + name,
            DatabaseBackupOptions.of("default", "DATABASE_URL")
                .withCompression(compression)
                .withIds(backupId, UUID.randomUUID())
                .withEncryption(
                    encrypted
                        ? new EnvelopeEncryption(
                            Keyring.of(key), new Argon2idParameters(1024, 1, 1))
                        : null)
                .withRowCounts(RowCountMode.EXACT));
  }

  static Path file(Path dir, BackupOutcome outcome) {
    return dir.resolve("store").resolve(outcome.objectKey());
  }

  static Path file(Path dir, SourceBackupOutcome outcome) {
    return dir.resolve("store").resolve(outcome.objectKey());
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
