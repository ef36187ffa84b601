package io.kanbu.backup.core.inventory;

import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.storage.StoredObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a storage holds.
 *
 * @param described backups with a valid manifest beside them
 * @param legacy files of the original Kanbu (no manifest, no recorded digest)
 * @param problems one message per object that looks like a backup but could not be trusted
 * @param keys the key of every object in the storage, whatever it is
 */
public record Inventory(
    List<Described> described, List<Legacy> legacy, List<String> problems, Set<String> keys) {

  public Inventory {
    described = List.copyOf(described);
    legacy = List.copyOf(legacy);
    problems = List.copyOf(problems);
    keys = Set.copyOf(keys);
  }

  /** A backup object and the manifest that describes it. */
  public record Described(StoredObject object, String manifestKey, BackupManifest manifest) {}

  /** A file written by the original Kanbu, recognised by its name. */
  public record Legacy(StoredObject object, LegacyFileName.Parsed name) {

    /** The time in the file name, else the object's modification time. */
    public Instant createdAt() {
      Instant named = name.createdAt();
      return named != null ? named : object.modified();
    }
  }
}
