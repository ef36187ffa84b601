package io.kanbu.backup.core.crypto;

/** The header is truncated, fails its checksum or is malformed (accidental damage or an edit). */
public final class HeaderCorruptedException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  HeaderCorruptedException(String message) {
    super(message);
  }
}
