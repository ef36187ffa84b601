package io.kanbu.backup.core.crypto;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A backup could not be decrypted. Every subclass names the check that failed; the message is safe
 * to log (it never contains key material) and says what to do where there is something to do. It is
 * an {@link IOException} so that the decrypting stream can throw it from {@code read}. It is
 * permanent: retrying the same bytes with the same keyring fails the same way.
 */
public class DecryptionException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the failed check. */
  public DecryptionException(String message) {
    super(message);
  }

  /** Creates the exception with a message naming the failed check and the low-level cause. */
  public DecryptionException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
