package io.kanbu.backup.core.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Blocks that are a whole gzip member each, compressed by {@link Libdeflate}: a stream of
 * concatenated members (RFC 1952, section 2.2) that {@code gunzip}, {@code zcat}, {@code gzip -t}
 * and {@link CompressionFormat#decompress} read as one. Every member carries its own CRC-32 and
 * length, computed on the compressing thread; the stream adds nothing before or after them.
 */
final class LibdeflateBlockEncoder implements GzipBlockEncoder {

  private static final byte[] NOTHING = new byte[0];

  private final BlockingQueue<Long> compressors;
  private final int count;
  private boolean closed;

  /**
   * @param level 1 (fastest) to 9 (smallest), as gzip's (libdeflate's levels mean the same)
   * @param threads how many blocks are encoded at once at most
   * @throws IllegalStateException when {@link Libdeflate} is not loaded
   * @throws OutOfMemoryError when libdeflate cannot allocate a compressor
   */
  LibdeflateBlockEncoder(int level, int threads) {
    if (!Libdeflate.available()) {
      throw new IllegalStateException(Libdeflate.unavailableReason());
    }
    this.compressors = new ArrayBlockingQueue<>(threads);
    this.count = threads;
    for (int i = 0; i < threads; i++) {
      long compressor = Libdeflate.allocCompressor(level);
      if (compressor == 0) {
        close(i);
        throw new OutOfMemoryError(
            "libdeflate could not allocate a level " + level + " compressor");
      }
      compressors.add(compressor);
    }
  }

  @Override
  public byte[] header() {
    return NOTHING;
  }

  @Override
  public void prepare(GzipBlock block) {
    // each member stands alone
  }

  @Override
  public void encode(GzipBlock block) throws InterruptedException {
    if (block.inputLength == 0 && !block.first) {
      block.outputLength = 0; // the input ended with a full block: no empty member after it
      return;
    }
    long compressor = compressors.take();
    try {
      int n = compress(compressor, block);
      if (n == 0) {
        // incompressible input: grow once to the most a member of it can take
        block.ensureOutputCapacity(
            Math.toIntExact(Libdeflate.gzipBound(compressor, block.inputLength)));
        n = compress(compressor, block);
      }
      if (n <= 0) {
        throw new IllegalStateException(
            "libdeflate failed on a block of " + block.inputLength + " bytes (result " + n + ")");
      }
      block.outputLength = n;
    } finally {
      compressors.add(compressor);
    }
  }

  private static int compress(long compressor, GzipBlock block) {
    byte[] output = block.output; // one array for both the bytes and their capacity
    return Libdeflate.gzipCompress(
        compressor, block.input, block.inputLength, output, output.length);
  }

  @Override
  public byte[] trailer() {
    return NOTHING;
  }

  /**
   * Frees every compressor, waiting for those still compressing (a block takes milliseconds): one
   * freed while in use would crash the JVM.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      close(count);
    }
  }

  private void close(int allocated) {
    boolean interrupted = false;
    for (int freed = 0; freed < allocated; ) {
      try {
        Libdeflate.freeCompressor(compressors.take());
        freed++;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
