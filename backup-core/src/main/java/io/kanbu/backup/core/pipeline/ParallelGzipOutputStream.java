package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes gzip (RFC 1952) compressed in parallel: the input is cut into blocks, each compressed on
 * its own thread by the {@link GzipEngine}'s {@link GzipBlockEncoder} (one member continued across
 * blocks with zlib, a member per block with libdeflate), and written downstream in input order.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are in flight (about 1.2 MiB each for a
 * dump; libdeflate's trials add one spare output array and a level-1 compressor per thread); a
 * writer that gets ahead waits for the oldest block and writes it downstream. The downstream stream
 * is written only by the thread that writes into this one.
 *
 * <p>The result is read by stock {@code gunzip}, {@code zcat} and {@link
 * CompressionFormat#decompress}.
 */
final class ParallelGzipOutputStream extends OutputStream {

  /**
   * 1 MiB. Each zlib block re-hashes the 32 KiB dictionary it starts from, so pigz's 128 KiB blocks
   * cost a quarter more deflate work than one stream; at 1 MiB it is 3%, which matters on a machine
   * whose cores are already busy with pg_dump and the server. libdeflate's members cost 18 bytes
   * each and lose the previous block's 32 KiB of history: well under 0.1 % at 1 MiB.
   */
  static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final OutputStream out;
  private final GzipBlockEncoder encoder;
  private final ExecutorService compressors;
  private final ArrayDeque<GzipBlock> freeBlocks = new ArrayDeque<>();
  private final ArrayDeque<Future<GzipBlock>> inFlight = new ArrayDeque<>();
  private GzipBlock current;
  private long submitted;
  private boolean failed;
  private boolean closed;

  /**
   * @param out receives the gzip stream; closed when this stream is closed
   * @param level 1 (fastest) to 9 (smallest), as gzip's
   * @param threads compressing threads, at least 1
   * @param blockSize input bytes per block, at least 32 KiB
   * @param engine what compresses the blocks
   */
  ParallelGzipOutputStream(
      OutputStream out, int level, int threads, int blockSize, GzipEngine engine)
      throws IOException {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level " + level + " is outside 1-9");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("compression threads " + threads + " is below 1");
    }
    if (blockSize < ZlibBlockEncoder.DICTIONARY_SIZE) {
      throw new IllegalArgumentException("block size " + blockSize + " is below 32 KiB");
    }
    this.out = out;
    int maxInFlight = maxInFlight(threads);
    for (int i = 0; i <= maxInFlight; i++) {
      freeBlocks.add(new GzipBlock(blockSize));
    }
    this.current = freeBlocks.poll();
    // last: what holds native memory or threads is made once nothing else can fail before it
    this.encoder = engine.encoder(level, threads);
    this.compressors = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      out.write(encoder.header());
    } catch (IOException | RuntimeException e) {
      compressors.shutdownNow();
      encoder.close();
      throw e;
    }
  }

  /** The most blocks compressing or waiting to be written at once: the writer fills one more. */
  static int maxInFlight(int threads) {
    return 2 * threads;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is already closed");
    }
    if (failed) {
      throw new IOException("the gzip stream failed before; it takes no more input");
    }
    try {
      buffer(b, off, len);
    } catch (IOException | RuntimeException | Error e) {
      // a block may be in flight and still be `current`: close must not submit it again
      failed = true;
      throw e;
    }
  }

  private void buffer(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, current.input.length - current.inputLength);
      System.arraycopy(b, off, current.input, current.inputLength, n);
      current.inputLength += n;
      off += n;
      len -= n;
      if (current.inputLength == current.input.length) {
        submit(current, false);
        current = nextFreeBlock();
      }
    }
    writeFinishedBlocks();
  }

  /**
   * Finishes the stream: the last block, every block still in flight, the trailer. After a failed
   * write it only closes the downstream stream and frees what the compression holds.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      if (!failed) {
        submit(current, true);
        while (!inFlight.isEmpty()) {
          writeOldestBlock();
        }
        out.write(encoder.trailer());
      }
    } finally {
      compressors.shutdownNow();
      encoder.close();
    }
  }

  private void submit(GzipBlock block, boolean last) {
    block.index = submitted++;
    block.last = last;
    encoder.prepare(block);
    inFlight.add(
        compressors.submit(
            () -> {
              encoder.encode(block);
              return block;
            }));
  }

  private GzipBlock nextFreeBlock() throws IOException {
    while (freeBlocks.isEmpty()) {
      writeOldestBlock();
    }
    GzipBlock block = freeBlocks.poll();
    block.inputLength = 0;
    return block;
  }

  /** Writes downstream every leading block that is already compressed, without waiting. */
  private void writeFinishedBlocks() throws IOException {
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      writeOldestBlock();
    }
  }

  private void writeOldestBlock() throws IOException {
    GzipBlock block = await(inFlight.poll());
    out.write(block.output, 0, block.outputLength);
    freeBlocks.add(block);
  }

  private static GzipBlock await(Future<GzipBlock> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
  }

  private static ThreadFactory daemonThreads() {
    String prefix = "kanbu-gzip-" + POOL_NUMBER.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
