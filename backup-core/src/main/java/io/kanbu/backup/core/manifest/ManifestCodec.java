package io.kanbu.backup.core.manifest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads manifests. The self-checksum {@code manifestSha256} is the SHA-256 of the
 * manifest's <em>canonical</em> form: the manifest with {@code manifestSha256} set to null,
 * serialized as compact JSON (UTF-8, no whitespace) with object properties in alphabetical order,
 * instants as ISO-8601 UTC strings. Whitespace and property order of the stored file therefore do
 * not matter; any change to a value does. Thread-safe.
 */
public final class ManifestCodec {

  private static final JsonMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private static final JsonMapper PRETTY =
      CANONICAL.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** The manifest with its self-checksum set, as pretty-printed UTF-8 JSON. */
  public byte[] encode(BackupManifest manifest) {
    BackupManifest sealed = manifest.withManifestSha256(digest(manifest));
    return PRETTY.writeValueAsBytes(sealed);
  }

  /**
   * Reads a manifest and checks its self-checksum.
   *
   * @param name the manifest's object key, for messages
   * @throws ManifestCorruptedException naming the manifest and what is wrong
   */
  public BackupManifest decode(byte[] json, String name) {
    BackupManifest manifest;
    try {
      manifest = CANONICAL.readValue(json, BackupManifest.class);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new ManifestCorruptedException(
          "manifest '"
              + name
              + "' is not a valid backup manifest: "
              + firstLine(e.getMessage())
              + "; restore it from a copy or rebuild it",
          e);
    }
    if (manifest.formatVersion() != BackupManifest.FORMAT_VERSION) {
      throw new ManifestCorruptedException(
          "manifest '"
              + name
              + "' has format version "
              + manifest.formatVersion()
              + "; this version reads "
              + BackupManifest.FORMAT_VERSION
              + ", upgrade Kanbu Backup");
    }
    String recorded = manifest.manifestSha256();
    String actual = digest(manifest);
    if (recorded == null || !recorded.equals(actual)) {
      throw new ManifestCorruptedException(
          "manifest checksum mismatch: manifest '"
              + name
              + "' records manifestSha256 "
              + recorded
              + " but its content hashes to "
              + actual
              + "; it was edited or damaged, do not trust it");
    }
    return manifest;
  }

  /** SHA-256 (hex) of the canonical form of {@code manifest} without its self-checksum. */
  static String digest(BackupManifest manifest) {
    byte[] canonical = CANONICAL.writeValueAsBytes(manifest.withManifestSha256(null));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
