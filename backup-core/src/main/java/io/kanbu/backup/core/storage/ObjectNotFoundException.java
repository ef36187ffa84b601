package io.kanbu.backup.core.storage;

import io.kanbu.backup.core.PermanentBackupException;

/** The key names no object in the backend. */
public class ObjectNotFoundException extends PermanentBackupException {

  private final String key;

  public ObjectNotFoundException(String storageName, String key) {
    super("object '" + key + "' is missing in storage '" + storageName + "'");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
