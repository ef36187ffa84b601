package io.kanbu.backup.core.storage;

import io.kanbu.backup.core.PermanentBackupException;

/** A put named a key that already holds an object; backends never overwrite. */
public class ObjectAlreadyExistsException extends PermanentBackupException {

  public ObjectAlreadyExistsException(String storageName, String key) {
    super(
        "unable to write object '"
            + key
            + "' to storage '"
            + storageName
            + "': an object with that key exists already and is never overwritten; use a new key");
  }
}
