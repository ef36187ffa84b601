package io.kanbu.backup.core.crypto;

/**
 * A ciphertext segment failed authentication: the data after the header was corrupted, truncated or
 * reordered. The plaintext of that segment and of every later one is never returned.
 */
public final class SegmentAuthenticationException extends DecryptionException {

  private static final long serialVersionUID = 1L;

  private final long segmentIndex;

  SegmentAuthenticationException(long segmentIndex, Throwable cause) {
    super(
        "ciphertext corrupted or truncated at segment "
            + segmentIndex
            + " (0-based, 1 MiB segments): discard everything read from this stream",
        cause);
    this.segmentIndex = segmentIndex;
  }

  /** The 0-based index of the segment that failed authentication. */
  public long segmentIndex() {
    return segmentIndex;
  }
}
