package io.kanbu.backup.core.crypto;

/** The header belongs to another backup than the one the caller asked to decrypt. */
public final class BackupIdMismatchException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  BackupIdMismatchException(String message) {
    super(message);
  }
}
