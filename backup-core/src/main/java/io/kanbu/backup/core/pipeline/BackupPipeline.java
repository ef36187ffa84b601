package io.kanbu.backup.core.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * The backup pipeline with its order fixed in one place:
 *
 * <pre>
 * source → count(raw) → compress → sha256(compressed) → [encrypt] → sha256(stored) → count(stored) → storage
 * </pre>
 *
 * <p>One pass, streaming, constant memory (one buffer per stage), no temporary file. The sink is
 * flushed but not closed: the storage backend owns it.
 */
public final class BackupPipeline {

  /** 1 MiB: large enough that per-call overhead disappears, small enough to be constant memory. */
  public static final int DEFAULT_BUFFER_SIZE = 1 << 20;

  private final Compression compression;
  private final PipelineStage encryption;
  private final int bufferSize;
  private final LongConsumer rawBytes;

  /** A pipeline without encryption. */
  public BackupPipeline(Compression compression) {
    this(compression, PipelineStage.identity(), DEFAULT_BUFFER_SIZE);
  }

  /**
   * @param compression format, level and threads
   * @param encryption the encryption stage, or {@link PipelineStage#identity()}
   * @param bufferSize read buffer size, 64 KiB to 1 MiB is sensible
   */
  public BackupPipeline(Compression compression, PipelineStage encryption, int bufferSize) {
    this(compression, encryption, bufferSize, n -> {});
  }

  /**
   * @param rawBytes told of the source bytes as they enter the pipeline (live progress)
   */
  public BackupPipeline(
      Compression compression, PipelineStage encryption, int bufferSize, LongConsumer rawBytes) {
    if (bufferSize < 4096) {
      throw new IllegalArgumentException("buffer size " + bufferSize + " is below 4096");
    }
    this.compression = compression;
    this.encryption = encryption;
    this.bufferSize = bufferSize;
    this.rawBytes = rawBytes;
  }

  /**
   * Reads {@code source} to its end through every stage into {@code sink}.
   *
   * @throws IOException from the source or the sink; the sink then holds partial data, which the
   *     storage backend discards
   */
  public PipelineResult run(InputStream source, OutputStream sink) throws IOException {
    return write(
        head -> {
          byte[] buffer = new byte[bufferSize];
          int n;
          while ((n = source.read(buffer)) >= 0) {
            if (n > 0) {
              head.write(buffer, 0, n);
            }
          }
        },
        sink);
  }

  /** Writes a source's content into the head of the pipeline. */
  @FunctionalInterface
  public interface ContentWriter {
    /** Writes everything; must not close {@code head} (the pipeline finishes it). */
    void writeTo(OutputStream head) throws IOException;
  }

  /**
   * Like {@link #run}, for a source that writes (a tar archive) rather than one that is read (a
   * process's output): {@code content} writes into the head of the chain.
   *
   * @throws IOException from the writer or the sink; the sink then holds partial data
   */
  public PipelineResult write(ContentWriter content, OutputStream sink) throws IOException {
    ByteCountStage rawCount = new ByteCountStage(rawBytes);
    CompressStage compress = new CompressStage(compression);
    Sha256Stage compressedDigest = new Sha256Stage();
    ByteCountStage compressedCount = new ByteCountStage();
    // without encryption the stored bytes are the compressed bytes: one digest serves both
    boolean encrypts = encryption != PipelineStage.identity();
    Sha256Stage storedDigest = encrypts ? new Sha256Stage() : compressedDigest;
    ByteCountStage storedCount = encrypts ? new ByteCountStage() : compressedCount;

    // built from the sink backwards, so the list reads bottom-up
    OutputStream chain = new NonClosingOutputStream(sink);
    if (encrypts) {
      chain = storedCount.wrap(chain);
      chain = storedDigest.wrap(chain);
      chain = encryption.wrap(chain);
    }
    chain = compressedCount.wrap(chain);
    chain = compressedDigest.wrap(chain);
    chain = compress.wrap(chain);
    chain = rawCount.wrap(chain);

    try (OutputStream head = chain) {
      content.writeTo(head);
    }
    return new PipelineResult(
        rawCount.result(),
        compressedCount.result(),
        storedCount.result(),
        compressedDigest.result(),
        storedDigest.result());
  }

  /** Lets the chain's close finish every stage while the storage backend keeps its stream. */
  private static final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
