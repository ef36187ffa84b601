package io.kanbu.backup.core.crypto;

/**
 * The keyring has a key with the header's id, but it is not the key the backup was encrypted with.
 */
public final class WrongKeyException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  WrongKeyException(String message) {
    super(message);
  }
}
