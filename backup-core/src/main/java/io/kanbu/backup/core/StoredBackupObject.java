package io.kanbu.backup.core;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import org.jspecify.annotations.Nullable;

/**
 * The steps every backup (database or source) takes after its pipeline ran: check what storage
 * kept, describe the encryption, write the manifest beside the object. A failure removes the
 * object, so nothing half-recorded stays visible.
 */
final class StoredBackupObject {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();

  private StoredBackupObject() {}

  /** The manifest as written and the key it was written under. */
  record WrittenManifest(String key, BackupManifest manifest) {}

  /**
   * Removes the object and fails when storage kept another number of bytes than the pipeline wrote.
   */
  static void requireStoredSize(
      StorageBackend storage, String objectKey, StoredObject stored, PipelineResult written) {
    if (stored.size() != written.storedBytes()) {
      storage.delete(objectKey);
      throw new TransientBackupException(
          "object '"
              + objectKey
              + "' in storage '"
              + storage.name()
              + "' has "
              + stored.size()
              + " bytes but the pipeline wrote "
              + written.storedBytes()
              + "; it was removed, retry the backup");
    }
  }

  /** The manifest's encryption parameters for a backup wrapped by {@code keyId}; null if plain. */
  static BackupManifest.@Nullable Encryption encryption(@Nullable String keyId) {
    return keyId == null
        ? null
        : new BackupManifest.Encryption(
            EnvelopeEncryption.FORMAT_VERSION,
            keyId,
            EnvelopeEncryption.DATA_CIPHER,
            EnvelopeEncryption.CIPHERTEXT_SEGMENT_BYTES);
  }

  /**
   * Writes the manifest beside the object (sealed with its checksum); if that fails the object is
   * removed and the backup fails, to be retried.
   */
  static WrittenManifest writeManifest(
      StorageBackend storage, String objectKey, BackupManifest manifest) {
    String manifestKey = BackupManifest.keyFor(objectKey);
    byte[] manifestBytes = MANIFESTS.encode(manifest);
    try {
      storage.put(manifestKey, out -> out.write(manifestBytes));
    } catch (RuntimeException e) {
      storage.delete(objectKey);
      throw new TransientBackupException(
          "unable to write manifest '"
              + manifestKey
              + "' to storage '"
              + storage.name()
              + "': "
              + e.getMessage()
              + "; the backup object was removed, retry the backup",
          e);
    }
    return new WrittenManifest(manifestKey, MANIFESTS.decode(manifestBytes, manifestKey));
  }
}
