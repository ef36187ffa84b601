package io.kanbu.backup.core.replicate;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a copy must hold: the backup's object (and manifest) key and the stored bytes the catalog
 * recorded when the backup was written.
 *
 * @param backupId the backup, for messages and to check the manifest names it
 * @param objectKey the object's key, the same on every storage
 * @param manifestKey the manifest beside it; null for a backup without one (a legacy import)
 * @param storedSize the size of the stored bytes
 * @param sha256Stored the SHA-256 (hex) of the stored bytes
 */
public record ReplicaSource(
    UUID backupId,
    String objectKey,
    @Nullable String manifestKey,
    long storedSize,
    String sha256Stored) {

  public ReplicaSource {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(objectKey, "objectKey");
    if (storedSize < 0 || !sha256Stored.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a replica source needs its stored size and a 64 hex character sha256Stored");
    }
  }
}
