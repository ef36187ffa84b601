package io.kanbu.backup.core.crypto;

/**
 * A file written by the original Kanbu failed its final GCM tag check (wrong key, or the file is
 * corrupted or truncated). Everything already written to the sink must be discarded.
 */
public final class LegacyAuthenticationException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  LegacyAuthenticationException(String message) {
    super(message);
  }
}
