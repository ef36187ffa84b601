package io.kanbu.backup.core.verify;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the catalog says about a backup; verification checks the stored object against it.
 *
 * @param manifestKey null for a backup without a manifest (then only the object is checked)
 */
public record ExpectedBackup(
    UUID backupId,
    String objectKey,
    @Nullable String manifestKey,
    long rawSize,
    long compressedSize,
    long storedSize,
    String sha256,
    String sha256Stored,
    boolean encrypted) {

  public ExpectedBackup {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(sha256Stored, "sha256Stored");
  }
}
