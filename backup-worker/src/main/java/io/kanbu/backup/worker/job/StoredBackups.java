package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.restore.StoredBackup;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.model.catalog.BackupRecord;
import java.io.IOException;
import java.io.InputStream;

/** A catalog backup as the core restore takes it: the record's facts and its manifest. */
final class StoredBackups {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();
  private static final int MAX_MANIFEST_BYTES = 4 << 20;

  private StoredBackups() {}

  /** Reads the manifest beside the object, if the backup has one (a legacy backup has none). */
  static StoredBackup of(BackupRecord backup, StorageBackend storage) {
    String manifestKey = backup.getManifestKey();
    return new StoredBackup(
        backup.getId(),
        backup.getObjectKey(),
        backup.isEncrypted(),
        CompressionFormat.of(backup.getCompression()),
        backup.getKeyId(),
        backup.getSha256Stored(),
        backup.getSha256(),
        manifestKey == null ? null : manifest(manifestKey, storage));
  }

  private static BackupManifest manifest(String key, StorageBackend storage) {
    try (InputStream in = storage.open(key)) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new PermanentBackupException("manifest '" + key + "' is larger than 4 MiB");
      }
      return MANIFESTS.decode(bytes, key);
    } catch (ObjectNotFoundException e) {
      throw new PermanentBackupException(
          "manifest '" + key + "' is missing in storage '" + storage.name() + "'");
    } catch (IOException e) {
      throw new TransientBackupException(
          "unable to read manifest '" + key + "': " + e.getMessage() + "; retry", e);
    }
  }
}
