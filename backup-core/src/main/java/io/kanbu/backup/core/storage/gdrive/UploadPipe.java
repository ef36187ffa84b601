package io.kanbu.backup.core.storage.gdrive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Carries a writer's bytes (pushed on the caller's thread) to an upload that pulls them (on its own
 * thread), with a bounded buffer. The upload sees the end of its input only when the writer
 * finished normally: if the writer fails, the upload's next read fails too, so a partial object is
 * never completed. If the upload stops reading (it failed), the writer's next write fails.
 */
final class UploadPipe {

  private final PipedInputStream pipeIn;
  private final PipedOutputStream pipeOut;
  private volatile boolean complete;
  private volatile @Nullable Throwable writerFailure;

  UploadPipe(int bufferBytes) throws IOException {
    pipeIn = new PipedInputStream(bufferBytes);
    pipeOut = new PipedOutputStream(pipeIn);
  }

  /** What the writer writes to; closing it does not end the upload's input. */
  OutputStream writerSide() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        pipeOut.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        pipeOut.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        pipeOut.flush();
      }

      @Override
      public void close() {
        // the end of the content is declared by complete(), never by a close
      }
    };
  }

  /** What the upload reads. */
  InputStream uploadSide() {
    return new FilterInputStream(pipeIn) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        return b < 0 ? endOfInput() : b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        return n < 0 ? endOfInput() : n;
      }
    };
  }

  /** The writer returned normally: the upload may see the end of its input. */
  void complete() throws IOException {
    complete = true;
    pipeOut.close();
  }

  /** The writer failed: the upload must fail rather than complete a partial object. */
  void fail(Throwable cause) {
    writerFailure = cause;
    try {
      pipeOut.close();
    } catch (IOException e) {
      // the reader is gone already
    }
  }

  /** The upload ended (either way): a writer still writing must not block. */
  void uploadEnded() {
    try {
      pipeIn.close();
    } catch (IOException e) {
      // closing a pipe does not fail
    }
  }

  private int endOfInput() throws IOException {
    if (complete) {
      return -1;
    }
    throw new WriterFailedException(writerFailure);
  }

  /** The upload's input ended early because its writer failed: not the upload's own failure. */
  static final class WriterFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    WriterFailedException(@Nullable Throwable cause) {
      super(
          "the content ended early"
              + (cause == null ? "" : " because its writer failed: " + cause.getMessage()),
          cause);
    }
  }
}
