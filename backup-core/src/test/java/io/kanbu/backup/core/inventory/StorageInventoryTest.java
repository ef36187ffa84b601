package io.kanbu.backup.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.SourceBackupOptions;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageInventoryTest {

  private static final String OURS =
      "default/source/kanbu_source_2026-01-02T03-04-05_1a2b3c4d.tar.gz";

  @TempDir Path tmp;
  LocalStorageBackend storage;
  UUID backupId = UUID.randomUUID();

  @BeforeEach
  void oneRealBackup() throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(tree.resolve("main.ts"), "console.log('kanbu');\n");
    storage = new LocalStorageBackend(tmp.resolve("backups"));
    new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC())
        .backup(
            tree,
            storage,
            OURS,
            SourceBackupOptions.of("default", "KANBU_SOURCE_PATH")
                .withIds(backupId, UUID.randomUUID()));
  }

  @Test
  void aBackupWithItsManifest_isDescribedByIt() {
    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.problems()).isEmpty();
    assertThat(inventory.legacy()).isEmpty();
    assertThat(inventory.described())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.object().key()).isEqualTo(OURS);
              assertThat(d.manifest().backupId()).isEqualTo(backupId);
              assertThat(d.manifestKey()).isEqualTo(OURS + ".manifest.json");
            });
  }

  @Test
  void ourBackupsOfEveryCompression_areDescribedByTheirManifests() {
    Path tree = tmp.resolve("app");
    for (Compression compression : new Compression[] {Compression.zstd(3), Compression.none()}) {
      UUID id = UUID.randomUUID();
      new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), Clock.systemUTC())
          .backup(
              tree,
              storage,
              "default/source/"
                  + BackupFileNames.source(Instant.now(), id, compression.format(), false),
              SourceBackupOptions.of("default", "KANBU_SOURCE_PATH")
                  .withCompression(compression)
                  .withIds(id, UUID.randomUUID()));
    }

    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.problems()).isEmpty();
    assertThat(inventory.described())
        .extracting(
            d -> d.object().key().replaceAll(".*_[0-9a-f]{8}", ""), d -> d.manifest().compression())
        .containsExactlyInAnyOrder(
            tuple(".tar.gz", "gzip"), tuple(".tar.zst", "zstd"), tuple(".tar", "none"));
  }

  @Test
  void originalKanbuFiles_areLegacy_withTheTimeAndTargetTheirPlaceAndNameGive() {
    put("kanbu_backup_2025-12-31T23-59-58.sql.gz.enc", "legacy");
    put("kanbu_backup_2025-11-01T00-00-00.sql", "plain");
    put("staging/database/kanbu_backup_2025-10-01T10-30-00.sql.gz", "gz");
    put("kanbu_source_2025-09-01T00-00-00.tar.gz", "tar");
    put("notes.txt", "not a backup");

    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.legacy())
        .extracting(l -> l.object().key())
        .containsExactlyInAnyOrder(
            "kanbu_backup_2025-12-31T23-59-58.sql.gz.enc",
            "kanbu_backup_2025-11-01T00-00-00.sql",
            "staging/database/kanbu_backup_2025-10-01T10-30-00.sql.gz",
            "kanbu_source_2025-09-01T00-00-00.tar.gz");
    Inventory.Legacy encrypted =
        inventory.legacy().stream().filter(l -> l.name().encrypted()).findFirst().orElseThrow();
    assertThat(encrypted.createdAt()).isEqualTo(Instant.parse("2025-12-31T23:59:58Z"));
    assertThat(encrypted.name().target()).isEqualTo("default");
    assertThat(encrypted.name().database()).isTrue();
    assertThat(
            inventory.legacy().stream()
                .filter(l -> l.object().key().startsWith("staging/"))
                .findFirst()
                .orElseThrow()
                .name()
                .target())
        .isEqualTo("staging");
    assertThat(
            inventory.legacy().stream()
                .filter(l -> l.object().key().endsWith(".sql"))
                .findFirst()
                .orElseThrow()
                .name()
                .compression())
        .isEqualTo(CompressionFormat.NONE);
    assertThat(inventory.problems()).isEmpty();
  }

  @Test
  void aDamagedManifest_isAProblemAndTheObjectIsNotAdopted() throws IOException {
    Path manifest = tmp.resolve("backups/" + OURS + ".manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"target\"", "\"targte\""));

    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.described()).isEmpty();
    assertThat(inventory.problems()).singleElement().asString().contains(OURS + ".manifest.json");
  }

  @Test
  void ourObjectWithoutManifest_andAManifestWithoutObject_areProblems() throws IOException {
    put("default/database/kanbu_backup_2026-02-02T00-00-00_abcdef01.sql.gz", "orphan");
    Files.delete(tmp.resolve("backups/" + OURS));

    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.described()).isEmpty();
    assertThat(inventory.legacy()).isEmpty();
    assertThat(inventory.problems())
        .anySatisfy(p -> assertThat(p).contains("abcdef01.sql.gz' has no manifest"))
        .anySatisfy(p -> assertThat(p).contains("has no backup object"));
  }

  @Test
  void aTruncatedObject_isAProblem() throws IOException {
    Path object = tmp.resolve("backups/" + OURS);
    byte[] bytes = Files.readAllBytes(object);
    Files.write(object, java.util.Arrays.copyOf(bytes, bytes.length - 10));

    Inventory inventory = StorageInventory.scan(storage);

    assertThat(inventory.described()).isEmpty();
    assertThat(inventory.problems()).singleElement().asString().contains("truncated or replaced");
  }

  private void put(String key, String content) {
    storage.put(key, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }
}
