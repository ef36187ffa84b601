package io.kanbu.backup.core.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts the bytes that pass. */
public final class ByteCountStage implements ObservingStage<Long> {

  private long count;
  private boolean closed;

  @Override
  public OutputStream wrap(OutputStream next) {
    return new FilterOutputStream(next) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        count++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
      }

      @Override
      public void close() throws IOException {
        super.close();
        closed = true;
      }
    };
  }

  /** Bytes seen so far; final once the stream is closed. */
  public long count() {
    return count;
  }

  @Override
  public Long result() {
    if (!closed) {
      throw new IllegalStateException("byte count read before its stream was closed");
    }
    return count;
  }
}
