package io.kanbu.backup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceArchiveExtractor;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.VerificationCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source tree backed up, then restored through {@link SourceRestore} into local directories. */
class SourceRestoreTest {

  private static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

  @TempDir Path tmp;
  Path tree;
  LocalStorageBackend storage;
  EnvelopeEncryption encryption;
  SourceRestore restore;

  @BeforeEach
  void setUp() throws Exception {
    tree = Files.createDirectories(tmp.resolve("app"));
    storage = new LocalStorageBackend(tmp.resolve("backups"));
    encryption =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("k-restore", "a passphrase for the restore test")),
            new Argon2idParameters(1024, 1, 1));
    restore = new SourceRestore(new BackupVerifier(encryption), new SourceArchiveExtractor());
    Path script = write("bin/run.sh", "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    Files.setLastModifiedTime(script, MTIME);
    write("src/main.ts", "console.log('kanbu');\n");
    write("docs/Ünïcödé.md", "unicode\n");
    Files.setPosixFilePermissions(
        write("private.txt", "mine\n"), PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(tree.resolve("empty-dir"));
    Files.createSymbolicLink(tree.resolve("link-in"), Path.of("src/main.ts"));
    Files.createSymbolicLink(tree.resolve("bin/up"), Path.of("../docs"));
  }

  @Test
  void restoreIntoANewDirectory_recreatesTheTree_withModesTimesAndInwardLinks() throws Exception {
    ExpectedBackup backup = backUp(true);
    Path target = tmp.resolve("restored/app");

    SourceRestore.Outcome outcome = restore(backup, target, null);

    assertThat(snapshot(target)).isEqualTo(snapshot(tree));
    assertThat(Files.getLastModifiedTime(target.resolve("bin/run.sh"))).isEqualTo(MTIME);
    assertThat(outcome.files()).isEqualTo(4);
    assertThat(outcome.symlinks()).isEqualTo(2);
    assertThat(outcome.directory()).isEqualTo(target);
    assertThat(outcome.rawBytes()).isEqualTo(backup.rawSize());
  }

  @Test
  void refusedDestinations_failBeforeAnythingIsWritten_sayingWhy() throws Exception {
    ExpectedBackup backup = backUp(false);
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "keep");
    Path linkToTree = Files.createSymbolicLink(tmp.resolve("via-link"), tree);

    assertRefused(backup, "restored", null, "is not an absolute path");
    assertRefused(backup, full.toString(), null, "is not empty");
    assertRefused(backup, tree.toString(), null, "is the live source tree");
    assertRefused(backup, tree.resolve("src/new").toString(), null, "lies inside the live");
    assertRefused(backup, linkToTree.resolve("new").toString(), null, "lies inside the live");
    assertRefused(backup, tmp.toString(), null, "contains the live source tree");
    assertRefused(backup, tree.resolve("new").toString(), "other", "does not match");
    // confirmed: the live tree itself is still not empty
    assertRefused(backup, tree.toString(), "default", "is not empty");
    assertThat(full).isDirectoryContaining(p -> p.endsWith("keep.txt"));
    assertThat(tree.resolve("src/new")).doesNotExist();
    assertThat(tmp.resolve("via-link/new")).doesNotExist();
  }

  @Test
  void confirmedRestoreIntoAnEmptyDirectoryInsideTheLiveTree_isAllowed() throws Exception {
    ExpectedBackup backup = backUp(false);
    Path inside = tree.resolve("restored-copy");

    restore(backup, inside, "default");

    assertThat(inside.resolve("src/main.ts")).hasContent("console.log('kanbu');");
  }

  @Test
  void flippedByte_failsNamingTheStoredDigest_andRemovesEverythingExtracted() throws Exception {
    for (boolean encrypted : new boolean[] {false, true}) {
      ExpectedBackup backup = backUp(encrypted);
      flipByteNearTheEnd(tmp.resolve("backups").resolve(backup.objectKey()));
      Path existing = Files.createDirectories(tmp.resolve("existing-" + encrypted));
      Path created = tmp.resolve("new-" + encrypted + "/app");

      for (Path target : new Path[] {existing, created}) {
        assertThatThrownBy(() -> restore(backup, target, null))
            .isInstanceOfSatisfying(
                VerificationFailedException.class,
                e -> assertThat(e.check()).isEqualTo(VerificationCheck.STORED_SHA256))
            .hasMessageContaining("stored sha256 check failed")
            .hasMessageContaining(backup.sha256Stored());
      }
      assertThat(existing).isEmptyDirectory();
      assertThat(stagingOf(existing, null)).isEmpty();
      assertThat(tmp.resolve("new-" + encrypted)).doesNotExist();
    }
  }

  @Test
  void treeWithAnOutwardLink_restoresAllButThatLink_withAWarningNamingItAndItsTarget()
      throws Exception {
    Files.createSymbolicLink(tree.resolve("link-out"), Path.of("/etc/passwd"));
    ExpectedBackup backup = backUp(false);
    Path target = tmp.resolve("out-link");

    SourceRestore.Outcome outcome = restore(backup, target, null);

    assertThat(outcome.warnings())
        .containsExactly(
            "link-out: symbolic link to '/etc/passwd' points outside the restore directory;"
                + " not restored");
    Map<String, String> expected = snapshot(tree);
    expected.remove("link-out");
    assertThat(snapshot(target)).isEqualTo(expected);
  }

  @Test
  void retryAfterAWorkerDiedMidRestore_removesTheStaleStaging_andRestores() throws Exception {
    ExpectedBackup backup = backUp(true);
    UUID jobId = UUID.randomUUID();
    Path target = tmp.resolve("retried/app");
    // attempt 1 extracted everything, then its worker died before moving the tree into place
    SourceRestore.Staged abandoned =
        restore.stage(storage, backup, destination(target, null), jobId, 1);
    Path otherJobs = Files.createDirectories(tmp.resolve("retried/.app.kanbu-restore-other-1"));
    assertThat(target).doesNotExist();
    assertThat(stagingOf(target, jobId)).hasSize(1);

    restore.restore(storage, backup, destination(target, null), jobId, 2);

    assertThat(snapshot(target)).isEqualTo(snapshot(tree));
    assertThat(stagingOf(target, jobId)).isEmpty();
    assertThat(otherJobs).isDirectory();
    abandoned.close(); // what is left of attempt 1 is gone already: nothing to do
    assertThat(snapshot(target)).isEqualTo(snapshot(tree));
  }

  @Test
  void anExistingEmptyDirectory_isReplaced_keepingItsPermissions() throws Exception {
    ExpectedBackup backup = backUp(false);
    Path target = Files.createDirectories(tmp.resolve("empty"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx--x---"));

    restore(backup, target, null);

    assertThat(snapshot(target)).isEqualTo(snapshot(tree));
    assertThat(Files.getPosixFilePermissions(target))
        .isEqualTo(PosixFilePermissions.fromString("rwx--x---"));
    assertThat(stagingOf(target, null)).isEmpty();
  }

  @Test
  void directoryWrittenToDuringTheExtraction_isNotTouched_andTheStagingIsRemoved()
      throws Exception {
    ExpectedBackup backup = backUp(false);
    Path target = Files.createDirectories(tmp.resolve("busy"));
    SourceRestore.Staged staged =
        restore.stage(storage, backup, destination(target, null), UUID.randomUUID(), 1);
    Files.writeString(target.resolve("someone-else.txt"), "theirs");

    try (staged) {
      assertThatThrownBy(staged::moveIntoPlace)
          .isInstanceOf(PermanentBackupException.class)
          .hasMessageContaining("is no longer empty");
    }

    assertThat(Files.list(target).toList()).containsExactly(target.resolve("someone-else.txt"));
    assertThat(stagingOf(target, null)).isEmpty();
  }

  /** The staging directories beside {@code target}: of job {@code jobId}, or of any job. */
  static List<Path> stagingOf(Path target, @Nullable UUID jobId) throws Exception {
    String prefix = "." + target.getFileName() + ".kanbu-restore-" + (jobId == null ? "" : jobId);
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  SourceRestore.Outcome restore(ExpectedBackup backup, Path target, @Nullable String confirmation) {
    return restore.restore(
        storage, backup, destination(target, confirmation), UUID.randomUUID(), 1);
  }

  void assertRefused(
      ExpectedBackup backup, String directory, @Nullable String confirmation, String why) {
    assertThatThrownBy(
            () ->
                restore.restore(
                    storage,
                    backup,
                    new SourceRestore.Destination(directory, "default", tree, confirmation),
                    UUID.randomUUID(),
                    1))
        .as(directory)
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining(why);
  }

  SourceRestore.Destination destination(Path directory, @Nullable String confirmation) {
    return new SourceRestore.Destination(directory.toString(), "default", tree, confirmation);
  }

  ExpectedBackup backUp(boolean encrypted) {
    UUID backupId = UUID.randomUUID();
    String key = "default/source/" + backupId + (encrypted ? ".tar.gz.enc" : ".tar.gz");
    SourceBackupOutcome outcome =
        new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC())
            .backup(
                tree,
                storage,
                key,
                SourceBackupOptions.of("default", "KANBU_SOURCE_PATH")
                    .withIds(backupId, UUID.randomUUID())
                    .withEncryption(encrypted ? encryption : null));
    assertThat(outcome.warnings()).isEmpty();
    var p = outcome.pipeline();
    return new ExpectedBackup(
        backupId,
        key,
        outcome.manifestKey(),
        p.rawBytes(),
        p.compressedBytes(),
        p.storedBytes(),
        p.sha256Compressed(),
        p.sha256Stored(),
        encrypted,
        CompressionFormat.GZIP);
  }

  static void flipByteNearTheEnd(Path file) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long at = raf.length() - 40;
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0x01);
    }
  }

  /** Path → type, permissions, and content or link target. */
  static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
        String what;
        if (Files.isSymbolicLink(p)) {
          what = "link -> " + Files.readSymbolicLink(p);
        } else {
          String mode =
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
          what =
              Files.isDirectory(p)
                  ? "dir " + mode
                  : "file " + mode + " " + Files.readString(p).hashCode();
        }
        entries.put(root.relativize(p).toString(), what);
      }
    }
    return entries;
  }

  Path write(String relative, String content) throws Exception {
    Path file = tree.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
