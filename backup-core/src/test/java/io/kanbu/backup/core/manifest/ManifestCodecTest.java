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

  @Test
  void sourceManifest_carriesFileCountBytesExclusionsAndGitState_throughARoundTrip() {
    BackupManifest.Source details =
        new BackupManifest.Source(
            42,
            123_456,
            List.of("node_modules/", ".env", "*.log"),
            new BackupManifest.Git("0123456789abcdef0123456789abcdef01234567", true));
    BackupManifest source = withSource(aManifest(), details);

    byte[] json = codec.encode(source);
    BackupManifest read = codec.decode(json, "s.manifest.json");

    assertThat(read.source()).isEqualTo(details);
    assertThat(new String(json, UTF_8))
        .contains("\"fileCount\" : 42")
        .contains("\"commit\" : \"0123456789abcdef0123456789abcdef01234567\"")
        .contains("\"uncommittedChanges\" : true");
    String edited = new String(json, UTF_8).replace("\"fileCount\" : 42", "\"fileCount\" : 43");
    assertThatThrownBy(() -> codec.decode(edited.getBytes(UTF_8), "s"))
        .hasMessageContaining("manifest checksum mismatch");
  }

  @Test
  void databaseManifest_hasNoSourceField_soItsChecksumIsTheOneEarlierVersionsComputed() {
    String json = new String(codec.encode(aManifest()), UTF_8);

    assertThat(json).doesNotContain("\"source\"");
  }

  @Test
  void sourceManifestWrittenBeforeTheSourceDetails_stillDecodes_withoutThem() throws Exception {
    byte[] old;
    try (var in =
        ManifestCodecTest.class.getResourceAsStream(
            "/manifest/source-manifest-before-source-details.json")) {
      old = in.readAllBytes();
    }

    BackupManifest read = codec.decode(old, "old.manifest.json");

    assertThat(read.kind()).isEqualTo("source");
    assertThat(read.source()).isNull();
    assertThat(read.formatVersion()).isEqualTo(1);
  }

  static BackupManifest withSource(BackupManifest m, BackupManifest.Source source) {
    return new BackupManifest(
        m.formatVersion(),
        m.backupId(),
        m.jobId(),
        m.target(),
        "source",
        m.createdAt(),
        m.toolVersion(),
        m.fileName(),
        null,
        null,
        m.sizes(),
        m.sha256(),
        m.sha256Stored(),
        m.compression(),
        m.encryption(),
        BackupManifest.RowCounts.off(),
        null,
        source);
  }
}
