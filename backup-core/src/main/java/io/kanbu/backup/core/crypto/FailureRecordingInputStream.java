package io.kanbu.backup.core.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the I/O failure of a source, so that a failure surfacing from a decoder above it (Tink,
 * a decompressor) can be told apart: the source's own error (transient, passed on as is) or the
 * decoder's verdict on the data (an authentication failure, a damaged stream).
 */
public final class FailureRecordingInputStream extends FilterInputStream {

  private @Nullable IOException failure;

  public FailureRecordingInputStream(InputStream in) {
    super(in);
  }

  /** The failure the source threw, or null. */
  public @Nullable IOException failure() {
    return failure;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }
}
