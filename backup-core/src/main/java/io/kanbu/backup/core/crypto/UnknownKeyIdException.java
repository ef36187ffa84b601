package io.kanbu.backup.core.crypto;

/** The keyring has no key with the id named in the header. */
public final class UnknownKeyIdException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  UnknownKeyIdException(String message) {
    super(message);
  }
}
