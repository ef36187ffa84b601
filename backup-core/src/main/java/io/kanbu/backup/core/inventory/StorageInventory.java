package io.kanbu.backup.core.inventory;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.manifest.ManifestCorruptedException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists a storage and sorts what it holds into backups described by a manifest, legacy Kanbu files
 * (which never had one) and problems, so that a catalog can be rebuilt from storage alone.
 *
 * <p>A manifest is only trusted when its self-checksum holds and it names the object it sits
 * beside; a backup-looking object whose manifest is missing or damaged is a problem, never adopted
 * with made-up digests.
 */
public final class StorageInventory {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();

  private StorageInventory() {}

  /** Reads every object of {@code storage}. */
  public static Inventory scan(StorageBackend storage) {
    List<StoredObject> objects = storage.list("");
    Set<String> keys = new HashSet<>();
    objects.forEach(object -> keys.add(object.key()));
    List<Inventory.Described> described = new ArrayList<>();
    List<Inventory.Legacy> legacy = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (StoredObject object : objects) {
      String key = object.key();
      if (key.endsWith(BackupManifest.KEY_SUFFIX)) {
        String dataKey = key.substring(0, key.length() - BackupManifest.KEY_SUFFIX.length());
        if (!keys.contains(dataKey)) {
          problems.add("manifest '" + key + "' has no backup object '" + dataKey + "' beside it");
        }
        continue;
      }
      LegacyFileName.Parsed name = LegacyFileName.parse(key);
      if (name == null) {
        continue; // not a backup file: left alone
      }
      String manifestKey = BackupManifest.keyFor(key);
      if (!keys.contains(manifestKey)) {
        if (name.ours()) {
          problems.add(
              "backup object '"
                  + key
                  + "' has no manifest '"
                  + manifestKey
                  + "'; it was not adopted (verify it with the offline CLI)");
        } else {
          legacy.add(new Inventory.Legacy(object, name));
        }
        continue;
      }
      try {
        BackupManifest manifest = read(storage, manifestKey);
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        if (!manifest.fileName().equals(fileName)) {
          problems.add(
              "manifest '"
                  + manifestKey
                  + "' describes '"
                  + manifest.fileName()
                  + "', not '"
                  + fileName
                  + "'; the object was not adopted");
        } else if (manifest.sizes().stored() != object.size()) {
          problems.add(
              "backup object '"
                  + key
                  + "' has "
                  + object.size()
                  + " bytes but its manifest says "
                  + manifest.sizes().stored()
                  + "; it was not adopted (truncated or replaced?)");
        } else {
          described.add(new Inventory.Described(object, manifestKey, manifest));
        }
      } catch (BackupException e) {
        problems.add(e.getMessage());
      }
    }
    return new Inventory(described, legacy, problems, keys);
  }

  private static BackupManifest read(StorageBackend storage, String manifestKey) {
    try (InputStream in = storage.open(manifestKey)) {
      return MANIFESTS.decode(in.readAllBytes(), manifestKey);
    } catch (IOException | UncheckedIOException e) {
      throw new ManifestCorruptedException(
          "unable to read manifest '" + manifestKey + "': " + e.getMessage(), e);
    }
  }
}
