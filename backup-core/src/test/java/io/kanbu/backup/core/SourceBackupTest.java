package io.kanbu.backup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source tree with the awkward cases, backed up into local storage and read back with the stock
 * GNU tar.
 */
class SourceBackupTest {

  private static final String LONG_DIR =
      "a-directory-whose-name-is-long-enough/that-together-with-its-parent/the-path-passes-100-characters";
  private static final String LONG_FILE = "f".repeat(180) + ".txt";
  private static final String UNICODE = "docs/Ünïcödé-日本語-😀.md";
  private static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

  @TempDir Path tmp;
  Path tree;
  LocalStorageBackend storage;

  @BeforeEach
  void buildTree() throws Exception {
    tree = Files.createDirectories(tmp.resolve("app"));
    storage = new LocalStorageBackend(tmp.resolve("backups"));
    write("src/main.ts", "console.log('kanbu');\n");
    write(LONG_DIR + "/" + LONG_FILE, "long\n");
    write(UNICODE, "unicode\n");
    Path script = write("bin/run.sh", "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr--"));
    Files.setLastModifiedTime(script, MTIME);
    write(".env", "SECRET=do-not-back-me-up\n");
    write(".env.production", "SECRET=nor-me\n");
    write("apps/api/.env", "SECRET=nested\n");
    write(".env.example", "SECRET=\n");
    write("node_modules/left-pad/index.js", "module.exports = 1;\n");
    write("server.log", "log line\n");
    write("secret-notes/plan.txt", "private\n");
    write("old.bak", "old\n");
    write("important.bak", "important\n");
    write(".backupignore", "# operator rules\nsecret-notes/\n*.bak\n!important.bak\n");
    write("vanish.txt", "here when listed\n");
    write("locked.txt", "unreadable\n");
    write("grow.txt", "0123456789");
    Files.createSymbolicLink(tree.resolve("link-out"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(tree.resolve("link-in"), Path.of("src/main.ts"));
    run(tmp, "mkfifo", tree.resolve("pipe").toString());
  }

  @Test
  void backup_storesTheTreeAsStockTarReadsIt_withLinksKept_secretsExcluded_andEveryProblemWarned()
      throws Exception {
    SourceTreeArchiver archiver = new SourceTreeArchiver(this::awkwardOpen, 8192);
    SourceBackup backup =
        new SourceBackup(archiver, new GitWorkTreeProbe("git"), Clock.systemUTC());

    SourceBackupOutcome outcome =
        backup.backup(
            tree,
            storage,
            "default/source/kanbu_source_test.tar.gz",
            SourceBackupOptions.of("default", "KANBU_SOURCE_PATH"));

    Path archive = tmp.resolve("backups/default/source/kanbu_source_test.tar.gz");
    assertThat(archive).exists();
    assertThat(sha256(archive)).isEqualTo(outcome.pipeline().sha256Compressed());
    assertThat(Files.size(archive)).isEqualTo(outcome.pipeline().storedBytes());

    String listing = run(tmp, "tar", "-tzvf", archive.toString());
    assertThat(listing)
        .contains("src/main.ts")
        .contains(LONG_DIR + "/" + LONG_FILE)
        .contains(UNICODE)
        .contains("link-out -> /etc/passwd")
        .contains("link-in -> src/main.ts")
        .contains("important.bak")
        .contains(".backupignore")
        .contains("grow.txt");
    assertThat(listing).containsPattern("-rwxr-xr-- .* 2020-01-02 0\\d:\\d\\d bin/run.sh");
    assertThat(listing.lines().map(SourceBackupTest::entryName).toList())
        .doesNotContain(
            ".env",
            ".env.production",
            ".env.example",
            "apps/api/.env",
            "server.log",
            "old.bak",
            "pipe")
        .noneMatch(n -> n.startsWith("node_modules") || n.startsWith("secret-notes"))
        .noneMatch(n -> n.equals("vanish.txt") || n.equals("locked.txt"));

    Path out = Files.createDirectories(tmp.resolve("extracted"));
    run(tmp, "tar", "-xzf", archive.toString(), "-C", out.toString());
    assertThat(out.resolve("src/main.ts")).hasContent("console.log('kanbu');");
    assertThat(out.resolve(UNICODE)).hasContent("unicode");
    assertThat(Files.isSymbolicLink(out.resolve("link-out"))).isTrue();
    assertThat(Files.readSymbolicLink(out.resolve("link-out"))).isEqualTo(Path.of("/etc/passwd"));
    assertThat(Files.getLastModifiedTime(out.resolve("bin/run.sh"))).isEqualTo(MTIME);
    // stored with its size when listed, although it grew while read
    assertThat(out.resolve("grow.txt")).hasContent("0123456789");

    assertThat(outcome.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("grow.txt: grew while read"))
        .anySatisfy(w -> assertThat(w).startsWith("vanish.txt: vanished before it was read"))
        .anySatisfy(w -> assertThat(w).startsWith("locked.txt: cannot be read (permission denied)"))
        .anySatisfy(w -> assertThat(w).startsWith("pipe: special file"));
    assertThat(outcome.archive().skippedSpecialFiles()).containsExactly("pipe");
    assertThat(outcome.archive().symlinkCount()).isEqualTo(2);
    assertThat(outcome.archive().excludedPatterns()).contains(".env", ".env.*", "secret-notes/");
    assertThat(outcome.archive().fileCount())
        .isEqualTo(listing.lines().filter(l -> l.startsWith("-")).count());
    assertThat(outcome.archive().totalBytes()).isPositive();
    assertThat(outcome.git()).isNull(); // not a git work tree
    assertThat(outcome.manifest().source()).isNotNull();
    assertThat(outcome.manifest().source().git()).isNull();
    assertThat(outcome.manifest().source().fileCount()).isEqualTo(outcome.archive().fileCount());
  }

  @Test
  void backup_ofAGitWorkTree_recordsTheCommitAndUncommittedChanges() throws Exception {
    Files.delete(tree.resolve("pipe"));
    run(tree, "git", "init", "-q");
    run(tree, "git", "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "src");
    run(tree, "git", "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "x");
    String head = run(tree, "git", "rev-parse", "HEAD").strip();
    SourceBackup backup =
        new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC());

    SourceBackupOutcome outcome =
        backup.backup(
            tree, storage, "t/source/a.tar.gz", SourceBackupOptions.of("t", "KANBU_SOURCE_PATH"));

    assertThat(outcome.git()).isNotNull();
    assertThat(outcome.git().commit()).isEqualTo(head);
    assertThat(outcome.git().uncommittedChanges()).isTrue(); // untracked files beside src
    assertThat(outcome.manifest().source()).isNotNull();
    assertThat(outcome.manifest().source().git())
        .isEqualTo(new io.kanbu.backup.core.manifest.BackupManifest.Git(head, true));
    assertThat(outcome.manifest().source().fileCount()).isEqualTo(outcome.archive().fileCount());
    assertThat(outcome.manifest().source().totalBytes()).isEqualTo(outcome.archive().totalBytes());
    assertThat(outcome.manifest().source().excludedPatterns())
        .isEqualTo(outcome.archive().excludedPatterns())
        .contains(".git/", ".env");
    String listing = run(tmp, "tar", "-tzf", tmp.resolve("backups/t/source/a.tar.gz").toString());
    assertThat(listing.lines()).noneMatch(n -> n.startsWith(".git/"));
  }

  @Test
  void encryptedBackup_isAnEncTarGz_withASourceManifest_andVerifies() throws Exception {
    Files.delete(tree.resolve("pipe"));
    EnvelopeEncryption encryption =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("k-src", "a passphrase for the test")),
            new Argon2idParameters(1024, 1, 1));
    UUID backupId = UUID.randomUUID();
    UUID jobId = UUID.randomUUID();
    String key = "t/source/kanbu_source_test.tar.gz.enc";
    SourceBackup backup =
        new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC());

    SourceBackupOutcome outcome =
        backup.backup(
            tree,
            storage,
            key,
            SourceBackupOptions.of("t", "KANBU_SOURCE_PATH")
                .withIds(backupId, jobId)
                .withEncryption(encryption));

    Path stored = tmp.resolve("backups").resolve(key);
    assertThat(outcome.encrypted()).isTrue();
    assertThat(outcome.keyId()).isEqualTo("k-src");
    assertThat(sha256(stored)).isEqualTo(outcome.pipeline().sha256Stored());
    assertThat(outcome.pipeline().sha256Stored())
        .isNotEqualTo(outcome.pipeline().sha256Compressed());
    Path plain = tmp.resolve("decrypted.tar");
    try (InputStream in =
            new GZIPInputStream(encryption.decrypt(Files.newInputStream(stored), backupId));
        OutputStream out = Files.newOutputStream(plain)) {
      in.transferTo(out);
    }
    assertThat(Files.size(plain)).isEqualTo(outcome.pipeline().rawBytes());
    assertThat(run(tmp, "tar", "-tf", plain.toString())).contains("src/main.ts");

    assertThat(outcome.manifestKey()).isEqualTo(key + ".manifest.json");
    BackupManifest manifest =
        new ManifestCodec()
            .decode(
                Files.readAllBytes(tmp.resolve("backups").resolve(outcome.manifestKey())),
                outcome.manifestKey());
    assertThat(manifest.kind()).isEqualTo("source");
    assertThat(manifest.backupId()).isEqualTo(backupId);
    assertThat(manifest.jobId()).isEqualTo(jobId);
    assertThat(manifest.fileName()).isEqualTo("kanbu_source_test.tar.gz.enc");
    assertThat(manifest.pgServerVersion()).isNull();
    assertThat(manifest.encryption()).isNotNull();
    assertThat(manifest.encryption().keyId()).isEqualTo("k-src");
    assertThat(manifest.rowCounts().mode()).isEqualTo("off");
    assertThat(manifest.sha256()).isEqualTo(outcome.pipeline().sha256Compressed());

    new BackupVerifier(encryption)
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
  void backup_ofAMissingTree_failsPermanently_namingTheSetting_andStoresNothing() {
    SourceBackup backup =
        new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC());

    assertThatThrownBy(
            () ->
                backup.backup(
                    tmp.resolve("nope"),
                    storage,
                    "t/source/b.tar.gz",
                    SourceBackupOptions.of("t", "KANBU_TARGETS_T_SOURCE_PATH")))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("KANBU_TARGETS_T_SOURCE_PATH");
    assertThat(storage.list("")).isEmpty();
  }

  /** Simulates, per file name, what can happen between listing and reading. */
  private InputStream awkwardOpen(Path file) throws IOException {
    String name = file.getFileName().toString();
    switch (name) {
      case "vanish.txt" -> Files.delete(file);
      case "locked.txt" -> throw new AccessDeniedException(file.toString());
      default -> {}
    }
    InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    if (name.equals("grow.txt")) {
      Files.writeString(file, "more bytes", StandardOpenOption.APPEND);
    }
    return in;
  }

  private Path write(String relative, String content) throws IOException {
    Path file = tree.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static String entryName(String tarVerboseLine) {
    // "-rw-r--r-- root/root 5 2026-11-26 07:00 name" or "... name -> target"
    String[] parts = tarVerboseLine.split("\\s+", 6);
    String name = parts.length == 6 ? parts[5] : tarVerboseLine;
    int arrow = name.indexOf(" -> ");
    return arrow < 0 ? name : name.substring(0, arrow);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static String run(Path dir, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile());
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
    return out;
  }
}
