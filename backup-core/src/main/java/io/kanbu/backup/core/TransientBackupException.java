package io.kanbu.backup.core;

/** An error that may go away on retry: connection refused, timeouts, storage IO. */
public class TransientBackupException extends BackupException {

  public TransientBackupException(String message) {
    super(message);
  }

  public TransientBackupException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
