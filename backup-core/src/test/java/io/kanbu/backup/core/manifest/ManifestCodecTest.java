package io.kanbu.backup.core.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {

  private final ManifestCodec codec = new ManifestCodec();

  static BackupManifest aManifest() {
    return new BackupManifest(
        BackupManifest.FORMAT_VERSION,
        UUID.fromString("0b6f3c2e-8a55-4d7e-9b1a-3c2d4e5f6a7b"),
        UUID.fromString("1c7f3c2e-8a55-4d7e-9b1a-3c2d4e5f6a7b"),
        "default",
        "database",
        Instant.parse("2026-11-26T03:00:00Z"),
        "kanbu-backup test",
        "kanbu_backup_2026-11-26T03-00-00_0b6f3c2e.sql.gz.enc",
        "16.4",
        "17.2",
        new BackupManifest.Sizes(1000, 300, 396),
        "a".repeat(64),
        "b".repeat(64),
        "gzip",
        new BackupManifest.Encryption(1, "primary", "AES256_GCM_HKDF_1MB", 1 << 20),
        new BackupManifest.RowCounts(
            "exact", List.of(new BackupManifest.TableRows("public", "widget", 5000))),
        null);
  }

  @Test
  void encodedManifest_decodesToTheSameContent_withItsSelfChecksum() {
    byte[] json = codec.encode(aManifest());

    BackupManifest read = codec.decode(json, "x.manifest.json");

    assertThat(read.manifestSha256()).matches("[0-9a-f]{64}");
    assertThat(read.withManifestSha256(null)).isEqualTo(aManifest());
    assertThat(new String(json, UTF_8)).doesNotContainIgnoringCase("secret");
  }

  @Test
  void reformattedManifest_stillVerifies_becauseTheChecksumIsOverCanonicalContent() {
    String json = new String(codec.encode(aManifest()), UTF_8);
    String compact = json.replaceAll("\\s*\\n\\s*", "");

    assertThat(codec.decode(compact.getBytes(UTF_8), "m").backupId())
        .isEqualTo(aManifest().backupId());
  }

  @Test
  void handEditedManifest_isRejected_namingTheManifestAndTheChecksum() {
    String json = new String(codec.encode(aManifest()), UTF_8);
    String edited = json.replace("5000", "5001");
    assertThat(edited).isNotEqualTo(json);

    assertThatThrownBy(() -> codec.decode(edited.getBytes(UTF_8), "default/x.manifest.json"))
        .isInstanceOf(ManifestCorruptedException.class)
        .hasMessageContaining("manifest checksum mismatch")
        .hasMessageContaining("'default/x.manifest.json'");
  }

  @Test
  void manifestWithAnAddedField_orNotJson_isRejected_namingTheManifest() {
    String json = new String(codec.encode(aManifest()), UTF_8);
    String extra = json.replaceFirst("\\{", "{\"secretKey\":\"x\",");

    assertThatThrownBy(() -> codec.decode(extra.getBytes(UTF_8), "m1"))
        .isInstanceOf(ManifestCorruptedException.class)
        .hasMessageContaining("'m1'")
        .hasMessageContaining("secretKey");
    assertThatThrownBy(() -> codec.decode("{not json".getBytes(UTF_8), "m2"))
        .isInstanceOf(ManifestCorruptedException.class)
        .hasMessageContaining("'m2' is not a valid backup manifest");
  }
}
