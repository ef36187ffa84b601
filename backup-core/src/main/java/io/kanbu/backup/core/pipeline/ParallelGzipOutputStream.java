package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one standard gzip member (RFC 1952) whose deflate stream is compressed in parallel, pigz's
 * way: the input is cut into blocks; each block is deflated on its own thread with the previous
 * block's last 32 KiB as preset dictionary and ends on a {@link Deflater#SYNC_FLUSH} boundary, so
 * the blocks' outputs concatenate into one valid deflate stream. The CRC-32 and length of the
 * trailer are computed by the writing thread as the data passes.
 *
 * <p>Memory is bounded: at most {@code 2 × threads} blocks are in flight (about 1.2 MiB each for a
 * dump); a writer that gets ahead waits for the oldest block and writes it downstream. Output order
 * is input order, and the downstream stream is written only by the thread that writes into this
 * one.
 *
 * <p>The result is read by stock {@code gunzip}, {@code zcat} and {@link
 * java.util.zip.GZIPInputStream}; its size is within a fraction of a percent of a single-threaded
 * stream at the same level.
 */
final class ParallelGzipOutputStream extends OutputStream {

  /**
   * 1 MiB. Each block re-hashes the 32 KiB dictionary it starts from, so pigz's 128 KiB blocks cost
   * a quarter more deflate work than one stream; at 1 MiB it is 3%, which matters on a machine
   * whose cores are already busy with pg_dump and the server.
   */
  static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;

  private static final int DICTIONARY_SIZE = 32 * 1024;
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final OutputStream out;
  private final int level;
  private final ExecutorService compressors;
  private final BlockingQueue<Deflater> deflaters;
  private final ArrayDeque<Block> freeBlocks = new ArrayDeque<>();
  private final ArrayDeque<Future<Block>> inFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private final byte[] dictionary = new byte[DICTIONARY_SIZE];
  private final int maxInFlight;
  private int dictionaryLength;
  private long totalIn;
  private Block current;
  private boolean closed;

  /**
   * @param out receives the gzip stream; closed when this stream is closed
   * @param level 1 (fastest) to 9 (smallest), as gzip's
   * @param threads compressing threads, at least 1
   * @param blockSize input bytes per block, at least 32 KiB
   */
  ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize)
      throws IOException {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level " + level + " is outside 1-9");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("compression threads " + threads + " is below 1");
    }
    if (blockSize < DICTIONARY_SIZE) {
      throw new IllegalArgumentException("block size " + blockSize + " is below 32 KiB");
    }
    this.out = out;
    this.level = level;
    this.maxInFlight = 2 * threads;
    this.deflaters = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      deflaters.add(new Deflater(level, true));
    }
    for (int i = 0; i <= maxInFlight; i++) {
      freeBlocks.add(new Block(blockSize));
    }
    this.compressors = Executors.newFixedThreadPool(threads, daemonThreads());
    this.current = freeBlocks.poll();
    writeHeader();
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
    crc.update(b, off, len);
    totalIn += len;
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

  /** Finishes the stream: the last block, every block still in flight, the trailer. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      submit(current, true);
      while (!inFlight.isEmpty()) {
        writeOldestBlock();
      }
      writeTrailer();
    } finally {
      compressors.shutdownNow();
      deflaters.forEach(Deflater::end);
    }
  }

  private void submit(Block block, boolean last) {
    block.last = last;
    block.setDictionary(dictionary, dictionaryLength);
    rememberDictionary(block);
    inFlight.add(compressors.submit(() -> compress(block)));
  }

  /** Keeps the last 32 KiB of input seen so far as the next block's dictionary. */
  private void rememberDictionary(Block block) {
    int n = block.inputLength;
    if (n >= DICTIONARY_SIZE) {
      System.arraycopy(block.input, n - DICTIONARY_SIZE, dictionary, 0, DICTIONARY_SIZE);
      dictionaryLength = DICTIONARY_SIZE;
    } else {
      int keep = Math.min(dictionaryLength, DICTIONARY_SIZE - n);
      System.arraycopy(dictionary, dictionaryLength - keep, dictionary, 0, keep);
      System.arraycopy(block.input, 0, dictionary, keep, n);
      dictionaryLength = keep + n;
    }
  }

  private Block compress(Block block) throws InterruptedException {
    Deflater deflater = deflaters.take();
    try {
      deflater.reset();
      if (block.dictionaryLength > 0) {
        deflater.setDictionary(block.dictionary, 0, block.dictionaryLength);
      }
      deflater.setInput(block.input, 0, block.inputLength);
      block.outputLength = 0;
      if (block.last) {
        deflater.finish();
        while (!deflater.finished()) {
          deflateInto(block, deflater, Deflater.NO_FLUSH);
        }
      } else {
        // SYNC_FLUSH is complete once the output buffer was not filled to its end
        while (deflateInto(block, deflater, Deflater.SYNC_FLUSH)) {
          // the buffer grew; flush on
        }
      }
      return block;
    } finally {
      deflaters.add(deflater);
    }
  }

  /** Deflates into the block's output, growing it when full; true when it was full. */
  private static boolean deflateInto(Block block, Deflater deflater, int flush) {
    if (block.outputLength == block.output.length) {
      block.output = Arrays.copyOf(block.output, block.output.length * 2);
    }
    int free = block.output.length - block.outputLength;
    int n = deflater.deflate(block.output, block.outputLength, free, flush);
    block.outputLength += n;
    return n == free;
  }

  private Block nextFreeBlock() throws IOException {
    while (freeBlocks.isEmpty()) {
      writeOldestBlock();
    }
    Block block = freeBlocks.poll();
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
    Block block = await(inFlight.poll());
    out.write(block.output, 0, block.outputLength);
    freeBlocks.add(block);
  }

  private static Block await(Future<Block> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
  }

  private void writeHeader() throws IOException {
    int extraFlags = level == 9 ? 2 : level == 1 ? 4 : 0; // as gzip marks -9 and -1
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) extraFlags, 3});
  }

  private void writeTrailer() throws IOException {
    byte[] trailer = new byte[8];
    writeIntLittleEndian(trailer, 0, crc.getValue());
    writeIntLittleEndian(trailer, 4, totalIn);
    out.write(trailer);
  }

  private static void writeIntLittleEndian(byte[] into, int at, long value) {
    for (int i = 0; i < 4; i++) {
      into[at + i] = (byte) (value >>> (8 * i));
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

  /** One block's input, the dictionary it starts from, and its compressed output. */
  private static final class Block {
    final byte[] input;
    final byte[] dictionary = new byte[DICTIONARY_SIZE];
    byte[] output;
    int inputLength;
    int dictionaryLength;
    int outputLength;
    boolean last;

    Block(int size) {
      this.input = new byte[size];
      // dumps compress 5-30×; random data grows it (once per pooled block) to the input's size
      this.output = new byte[size / 8 + 64 * 1024];
    }

    void setDictionary(byte[] from, int length) {
      System.arraycopy(from, 0, dictionary, 0, length);
      dictionaryLength = length;
    }
  }
}
