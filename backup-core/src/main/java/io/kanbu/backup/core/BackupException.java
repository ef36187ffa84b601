package io.kanbu.backup.core;

/**
 * Root of every error the backup core raises. Subclasses decide delivery: a {@link
 * PermanentBackupException} will fail again if retried, a {@link TransientBackupException} might
 * not.
 *
 * <p>Messages are lowercase, name the thing in quotes and say what to do, and never contain a
 * secret.
 */
public abstract class BackupException extends RuntimeException {

  protected BackupException(String message) {
    super(message);
  }

  protected BackupException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether retrying the same operation unchanged can succeed. */
  public abstract boolean isRetryable();
}
