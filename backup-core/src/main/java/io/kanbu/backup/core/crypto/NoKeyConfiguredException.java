package io.kanbu.backup.core.crypto;

/** The keyring is empty: no key is configured at all. */
public final class NoKeyConfiguredException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  NoKeyConfiguredException(String message) {
    super(message);
  }
}
