package io.kanbu.backup.core.verify;

import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the catalog says about a backup; verification checks the stored object against it.
 *
 * @param manifestKey null for a backup without a manifest (then only the object is checked)
 * @param compression how the plaintext is compressed
 * @param sha256 null, with {@code sha256Stored} null and every size -1, when nothing is recorded
 *     (see {@link #unrecorded})
 */
public record ExpectedBackup(
    UUID backupId,
    String objectKey,
    @Nullable String manifestKey,
    long rawSize,
    long compressedSize,
    long storedSize,
    @Nullable String sha256,
    @Nullable String sha256Stored,
    boolean encrypted,
    CompressionFormat compression) {

  /** The size of a backup whose sizes are not recorded. */
  public static final long UNKNOWN_SIZE = -1;

  public ExpectedBackup {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(compression, "compression");
    if ((sha256 == null) != (sha256Stored == null)) {
      throw new IllegalArgumentException("sha256 and sha256Stored are both recorded or both null");
    }
    if (sha256 == null && manifestKey != null) {
      throw new IllegalArgumentException("a backup with a manifest has recorded digests");
    }
  }

  /**
   * A backup of which nothing is recorded (a single file without manifest or catalog, e.g. in the
   * offline CLI): verification decrypts it and decompresses it to the end and reports the digests
   * it computed, but has nothing to compare them with.
   */
  public static ExpectedBackup unrecorded(
      UUID backupId, String objectKey, boolean encrypted, CompressionFormat compression) {
    return new ExpectedBackup(
        backupId,
        objectKey,
        null,
        UNKNOWN_SIZE,
        UNKNOWN_SIZE,
        UNKNOWN_SIZE,
        null,
        null,
        encrypted,
        compression);
  }

  /** True when digests and sizes are recorded, i.e. not {@link #unrecorded}. */
  public boolean recorded() {
    return sha256Stored != null;
  }
}
