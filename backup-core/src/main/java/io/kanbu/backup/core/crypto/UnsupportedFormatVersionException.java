package io.kanbu.backup.core.crypto;

/** The header is intact but its format version is newer than this code can read. */
public final class UnsupportedFormatVersionException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  UnsupportedFormatVersionException(String message) {
    super(message);
  }
}
