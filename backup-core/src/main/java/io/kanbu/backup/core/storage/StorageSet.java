package io.kanbu.backup.core.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The storages {@code BACKUP_STORAGE} lists, in order: the first is the primary (backups are
 * written there), the others receive copies. Names are unique ({@link StorageSettings#parseList}).
 */
public final class StorageSet {

  private final List<StorageBackend> storages;

  /**
   * @param storages at least one, the primary first, with unique names
   */
  public StorageSet(List<StorageBackend> storages) {
    if (storages.isEmpty()) {
      throw new IllegalArgumentException("a storage set needs at least one storage");
    }
    if (storages.stream().map(StorageBackend::name).distinct().count() != storages.size()) {
      throw new IllegalArgumentException(
          "storage names must be unique, got "
              + storages.stream().map(StorageBackend::name).toList());
    }
    this.storages = List.copyOf(storages);
  }

  /** Opens every storage of {@code settings}, in order. */
  public static StorageSet open(List<StorageSettings> settings) {
    return new StorageSet(settings.stream().map(StorageSettings::open).toList());
  }

  /** The storage every backup is written to first. */
  public StorageBackend primary() {
    return storages.getFirst();
  }

  /** Every storage, the primary first. */
  public List<StorageBackend> all() {
    return storages;
  }

  /** The storages that receive copies of what the primary holds. */
  public List<StorageBackend> secondaries() {
    return storages.subList(1, storages.size());
  }

  /** The storage with this name, if configured here. */
  public Optional<StorageBackend> find(String name) {
    Objects.requireNonNull(name, "name");
    return storages.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The names, in order. */
  public List<String> names() {
    return storages.stream().map(StorageBackend::name).toList();
  }

  @Override
  public String toString() {
    return String.join(",", names());
  }
}
