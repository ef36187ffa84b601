package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Turns the push-style {@link LegacyKanbuDecryptor} (it writes to a sink) into a stream to read: it
 * decrypts on its own thread into a pipe. The end of this stream is reported only after the
 * decryptor returned, i.e. after the GCM tag verified; a failed tag makes the last {@code read}
 * throw instead of returning -1. Plaintext read before that is unauthenticated (see the decryptor's
 * contract): the restore writes it into a transaction it can still roll back.
 */
final class LegacyDecryptingInputStream extends InputStream {

  private static final int PIPE_BYTES = 1 << 20;

  private final PipedInputStream pipe;
  private final Thread decrypting;
  private final InputStream source;
  private volatile @Nullable Throwable failure;

  LegacyDecryptingInputStream(InputStream source, LegacyKanbuDecryptor decryptor)
      throws IOException {
    this.source = source;
    this.pipe = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream sink = new PipedOutputStream(pipe);
    this.decrypting =
        Thread.ofPlatform()
            .name("legacy-decrypt")
            .daemon(true)
            .start(
                () -> {
                  try (sink) {
                    decryptor.decrypt(source, sink);
                  } catch (IOException | RuntimeException e) {
                    failure = e;
                  }
                });
  }

  @Override
  public int read() throws IOException {
    int b = pipe.read();
    return b < 0 ? endOfStream() : b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = pipe.read(b, off, len);
    return n < 0 ? endOfStream() : n;
  }

  private int endOfStream() throws IOException {
    try {
      decrypting.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the legacy decryption finished", e);
    }
    Throwable failed = failure;
    if (failed instanceof IOException io) {
      throw io;
    }
    if (failed != null) {
      throw new IOException("legacy decryption failed: " + failed, failed);
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    // closing the read side makes a blocked writer fail, so the thread ends
    pipe.close();
    source.close();
    try {
      decrypting.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
