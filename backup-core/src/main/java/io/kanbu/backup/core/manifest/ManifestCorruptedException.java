package io.kanbu.backup.core.manifest;

import io.kanbu.backup.core.PermanentBackupException;

/** A manifest that is not valid JSON, breaks the model, or whose own checksum does not match. */
public final class ManifestCorruptedException extends PermanentBackupException {

  private static final long serialVersionUID = 1L;

  public ManifestCorruptedException(String message) {
    super(message);
  }

  public ManifestCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
