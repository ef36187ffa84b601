package io.kanbu.backup.core.crypto;

import java.io.IOException;
import java.io.InputStream;

/**
 * The plaintext of Tink's decrypting stream, with authentication failures turned into {@link
 * SegmentAuthenticationException} naming the segment. Tink releases a segment's plaintext only
 * after its tag verified. Reads are clipped at segment boundaries, so Tink loads (and checks) a
 * segment only at the start of a read, when every byte of the segments before it has been returned:
 * the number of bytes returned so far then gives the index of the segment that failed.
 */
final class SegmentCheckedInputStream extends InputStream {

  private final InputStream plaintext;
  private final FailureRecordingInputStream source;
  private long delivered;

  SegmentCheckedInputStream(InputStream plaintext, FailureRecordingInputStream source) {
    this.plaintext = plaintext;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long clipped = Math.min(len, segmentEnd() - delivered);
    try {
      int n = plaintext.read(b, off, (int) clipped);
      if (n > 0) {
        delivered += n;
      }
      return n;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  @Override
  public int available() throws IOException {
    try {
      return plaintext.available();
    } catch (IOException e) {
      throw translate(e);
    }
  }

  @Override
  public void close() throws IOException {
    plaintext.close();
  }

  private IOException translate(IOException e) {
    if (e instanceof DecryptionException) {
      return e;
    }
    IOException sourceFailure = source.failure();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t == sourceFailure) {
        return e; // the storage failed, not the cryptography: may be retried
      }
    }
    return new SegmentAuthenticationException(segmentIndex(), e);
  }

  // Plaintext offset where the segment holding the next byte to return ends.
  private long segmentEnd() {
    return EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES
        + segmentIndex() * (long) EnvelopeEncryption.SEGMENT_PLAINTEXT_BYTES;
  }

  private long segmentIndex() {
    if (delivered < EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES) {
      return 0;
    }
    return 1
        + (delivered - EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES)
            / EnvelopeEncryption.SEGMENT_PLAINTEXT_BYTES;
  }
}
