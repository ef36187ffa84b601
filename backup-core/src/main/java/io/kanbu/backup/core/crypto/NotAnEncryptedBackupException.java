package io.kanbu.backup.core.crypto;

/** The input does not start with the magic bytes of a Kanbu encrypted backup. */
public final class NotAnEncryptedBackupException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  NotAnEncryptedBackupException(String message) {
    super(message);
  }
}
