package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored database backup to restore, as its caller knows it (from the catalog, or from the
 * manifest beside the object for an offline restore).
 *
 * @param backupId the backup's id (the envelope's associated data)
 * @param objectKey where the object is in storage
 * @param encrypted whether the stored bytes are encrypted: our envelope ({@code KNBK} header) or,
 *     without that header, the original Kanbu's format
 * @param compression how the plaintext is compressed (the catalog's or the manifest's record, or
 *     what the file name says)
 * @param keyId the keyring id of the key that wrapped the data key, when known
 * @param sha256Stored SHA-256 (hex) of the stored bytes; null when unknown (legacy file)
 * @param sha256 SHA-256 (hex) of the compressed plaintext; null when unknown
 * @param manifest the backup's manifest; null for a legacy backup without one (then there are no
 *     row counts to compare)
 */
public record StoredBackup(
    UUID backupId,
    String objectKey,
    boolean encrypted,
    CompressionFormat compression,
    @Nullable String keyId,
    @Nullable String sha256Stored,
    @Nullable String sha256,
    @Nullable BackupManifest manifest) {

  public StoredBackup {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(compression, "compression");
  }

  /** True for a backup made by the original Kanbu or before manifests: no manifest. */
  public boolean legacy() {
    return manifest == null;
  }
}
