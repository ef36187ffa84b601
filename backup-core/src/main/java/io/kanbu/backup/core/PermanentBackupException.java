package io.kanbu.backup.core;

/**
 * An error that retrying will not fix: bad configuration, authentication failure, a pg_dump that is
 * too old, an empty dump, a checksum mismatch.
 */
public class PermanentBackupException extends BackupException {

  public PermanentBackupException(String message) {
    super(message);
  }

  public PermanentBackupException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
