package io.kanbu.backup.core.crypto;

/**
 * The keyring configuration is invalid (bad entry, duplicate id, unsafe file permissions). The
 * message names the environment variable or file and never contains a secret.
 */
public final class KeyringException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  KeyringException(String message) {
    super(message);
  }
}
