package io.kanbu.backup.core.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Counts the bytes that pass. */
public final class ByteCountStage implements ObservingStage<Long> {

  private final LongConsumer onBytes;
  private long count;
  private boolean closed;

  public ByteCountStage() {
    this(n -> {});
  }

  /**
   * @param onBytes told of every write as it passes (live progress)
   */
  public ByteCountStage(LongConsumer onBytes) {
    this.onBytes = onBytes;
  }

  @Override
  public OutputStream wrap(OutputStream next) {
    return new FilterOutputStream(next) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        count++;
        onBytes.accept(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
        onBytes.accept(len);
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
