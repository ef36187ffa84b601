package io.kanbu.backup.core.crypto;

/** The key is right but the wrapped data key or the header fields it authenticates were altered. */
public final class HeaderAuthenticationException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  HeaderAuthenticationException(String message) {
    super(message);
  }
}
