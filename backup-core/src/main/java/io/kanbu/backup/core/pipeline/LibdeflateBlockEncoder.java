package io.kanbu.backup.core.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Blocks that are a whole gzip member each, compressed by {@link Libdeflate}: a stream of
 * concatenated members (RFC 1952, section 2.2) that {@code gunzip}, {@code zcat}, {@code gzip -t}
 * and {@link CompressionFormat#decompress} read as one. Every member carries its own CRC-32 and
 * length, computed on the compressing thread; the stream adds nothing before or after them.
 *
 * <p>At levels 2-9 {@link MatchFinderTrials} decides per block between the requested level and
 * level 1, whose match finder does better on long runs of one byte.
 */
final class LibdeflateBlockEncoder implements GzipBlockEncoder {

  private static final byte[] NOTHING = new byte[0];

  private final CompressorPool requested;

  /** Level 1, for trials and the blocks that follow a trial it won; null at level 1. */
  private final @Nullable CompressorPool fast;

  private final @Nullable MatchFinderTrials trials;

  /**
   * The output array a trial compresses level 1 into, swapped with the block's when level 1 wins.
   * One is enough: trials are further apart than the blocks in flight, so one runs at a time.
   */
  private final AtomicReference<byte @Nullable []> spare = new AtomicReference<>();

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
    this.requested = new CompressorPool(level, threads);
    if (level == 1) {
      this.fast = null;
      this.trials = null;
    } else {
      try {
        this.fast = new CompressorPool(1, threads);
      } catch (RuntimeException | Error e) {
        requested.close();
        throw e;
      }
      this.trials = new MatchFinderTrials(ParallelGzipOutputStream.maxInFlight(threads) + 1);
    }
  }

  @Override
  public byte[] header() {
    return NOTHING;
  }

  @Override
  public void prepare(GzipBlock block) {
    // each member stands alone; only the match finder depends on the blocks before
    block.plan = trials == null ? MatchFinderTrials.Plan.REQUESTED : trials.plan(block.index);
  }

  @Override
  public void encode(GzipBlock block) throws InterruptedException {
    if (block.inputLength == 0 && block.index > 0) {
      block.outputLength = 0; // the input ended with a full block: no empty member after it
      return;
    }
    switch (block.plan) {
      case REQUESTED -> compress(requested, block);
      case FAST -> compress(requireNonNull(fast), block);
      case TRIAL -> trial(block);
    }
  }

  /** Compresses the block at both levels and keeps the smaller member. */
  private void trial(GzipBlock block) throws InterruptedException {
    compress(requested, block);
    byte[] levelOutput = block.output;
    int levelLength = block.outputLength;
    // a failed compression fails the stream: the block is never written, nothing to restore
    block.output = spareOfAtLeast(levelOutput.length);
    compress(requireNonNull(fast), block);
    boolean levelOneWon = block.outputLength < levelLength;
    if (levelOneWon) {
      spare.set(levelOutput);
    } else {
      spare.set(block.output);
      block.output = levelOutput;
      block.outputLength = levelLength;
    }
    requireNonNull(trials).record(block.index, levelOneWon);
  }

  private byte[] spareOfAtLeast(int capacity) {
    byte[] array = spare.getAndSet(null);
    return array != null && array.length >= capacity ? array : new byte[capacity];
  }

  private static void compress(CompressorPool pool, GzipBlock block) throws InterruptedException {
    long compressor = pool.take();
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
      pool.release(compressor);
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
      spare.set(null);
      requested.close();
      if (fast != null) {
        fast.close();
      }
    }
  }

  /** One native compressor per thread at one level. */
  private static final class CompressorPool {
    private final int count;
    private final BlockingQueue<Long> compressors;

    CompressorPool(int level, int threads) {
      this.count = threads;
      this.compressors = new ArrayBlockingQueue<>(threads);
      for (int i = 0; i < threads; i++) {
        long compressor = Libdeflate.allocCompressor(level);
        if (compressor == 0) {
          free(i);
          throw new OutOfMemoryError(
              "libdeflate could not allocate a level " + level + " compressor");
        }
        compressors.add(compressor);
      }
    }

    long take() throws InterruptedException {
      return compressors.take();
    }

    void release(long compressor) {
      compressors.add(compressor);
    }

    void close() {
      free(count);
    }

    private void free(int allocated) {
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
}
