package io.kanbu.backup.core.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectReplicatorTest {

  static final String KEY = "default/database/kanbu_backup_x.sql.gz";
  static final String MANIFEST_KEY = BackupManifest.keyFor(KEY);

  @TempDir Path tmp;

  LocalStorageBackend from;
  LocalStorageBackend to;
  byte[] content;
  ReplicaSource source;
  final ObjectReplicator replicator = new ObjectReplicator();

  @BeforeEach
  void storeTheOriginal() throws Exception {
    from = new LocalStorageBackend(tmp.resolve("a"));
    to = new LocalStorageBackend(tmp.resolve("b"), "gdrive", "BACKUP_GDRIVE_PATH");
    content = new byte[700_000];
    new Random(7).nextBytes(content);
    UUID backupId = UUID.randomUUID();
    String sha = sha256(content);
    from.put(KEY, out -> out.write(content));
    byte[] manifest = new ManifestCodec().encode(manifest(backupId, sha));
    from.put(MANIFEST_KEY, out -> out.write(manifest));
    source = new ReplicaSource(backupId, KEY, MANIFEST_KEY, content.length, sha);
  }

  @Test
  void copiesTheObjectAndItsManifest_checkingTheDigest() throws Exception {
    ObjectReplicator.Copied copied = replicator.copy(from, to, source);

    assertThat(copied.storedSize()).isEqualTo(content.length);
    assertThat(copied.sha256Stored()).isEqualTo(source.sha256Stored());
    assertThat(Files.readAllBytes(tmp.resolve("b").resolve(KEY))).isEqualTo(content);
    assertThat(Files.readAllBytes(tmp.resolve("b").resolve(MANIFEST_KEY)))
        .isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(MANIFEST_KEY)));
  }

  @Test
  void aDamagedSource_isRefused_andLeavesNothingOnTheTarget() throws Exception {
    byte[] damaged = content.clone();
    damaged[12345] ^= 1;
    Files.write(tmp.resolve("a").resolve(KEY), damaged);

    assertThatThrownBy(() -> replicator.copy(from, to, source))
        .isInstanceOfSatisfying(SourceCopyException.class, e -> assertThat(e.missing()).isFalse())
        .hasMessageContaining("stored sha256 check failed")
        .hasMessageContaining("storage 'local'");
    assertThat(to.list("")).isEmpty();
  }

  @Test
  void aMissingSource_saysSo() throws Exception {
    Files.delete(tmp.resolve("a").resolve(KEY));

    assertThatThrownBy(() -> replicator.copy(from, to, source))
        .isInstanceOfSatisfying(SourceCopyException.class, e -> assertThat(e.missing()).isTrue())
        .hasMessageContaining("is missing in storage 'local'");
    assertThat(to.list("")).isEmpty();
  }

  @Test
  void aManifestOfAnotherBackup_isRefused() {
    ReplicaSource other =
        new ReplicaSource(
            UUID.randomUUID(), KEY, MANIFEST_KEY, content.length, source.sha256Stored());

    assertThatThrownBy(() -> replicator.copy(from, to, other))
        .isInstanceOf(SourceCopyException.class)
        .hasMessageContaining("not what the catalog records");
    assertThat(to.list("")).isEmpty();
  }

  @Test
  void aTargetThatCannotBeWritten_failsAsTheTargetsProblem_notTheSources() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
    LocalStorageBackend unwritable =
        new LocalStorageBackend(file.resolve("backups"), "gdrive", "BACKUP_GDRIVE_PATH");

    assertThatThrownBy(() -> replicator.copy(from, unwritable, source))
        .isInstanceOf(io.kanbu.backup.core.BackupException.class)
        .isNotInstanceOf(SourceCopyException.class)
        .hasMessageContaining("BACKUP_GDRIVE_PATH");
  }

  @Test
  void aDamagedCopyOnTheTarget_isReplacedWhole() throws Exception {
    to.put(KEY, out -> out.write("garbage".getBytes(StandardCharsets.UTF_8)));

    replicator.copy(from, to, source);

    assertThat(Files.readAllBytes(tmp.resolve("b").resolve(KEY))).isEqualTo(content);
  }

  static BackupManifest manifest(UUID backupId, String sha) {
    return new BackupManifest(
        BackupManifest.FORMAT_VERSION,
        backupId,
        UUID.randomUUID(),
        "default",
        "database",
        Instant.parse("2026-11-26T10:00:00Z"),
        "test",
        "kanbu_backup_x.sql.gz",
        null,
        null,
        new BackupManifest.Sizes(700_000, 700_000, 700_000),
        sha,
        sha,
        "gzip",
        null,
        BackupManifest.RowCounts.off(),
        null,
        null);
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
