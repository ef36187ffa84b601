package io.kanbu.backup.core.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Blocks that continue one gzip member (RFC 1952), pigz's way, with the JDK's zlib: each block is
 * deflated with the previous block's last 32 KiB as preset dictionary and ends on a {@link
 * Deflater#SYNC_FLUSH} boundary (the last one finishes the stream), so the blocks' outputs
 * concatenate into one deflate stream. The header comes first; the trailer's CRC-32 and length are
 * computed as the blocks pass in order. Its size is within a fraction of a percent of one
 * single-threaded stream at the same level.
 */
final class ZlibBlockEncoder implements GzipBlockEncoder {

  static final int DICTIONARY_SIZE = 32 * 1024;

  private final int level;
  private final BlockingQueue<Deflater> deflaters;
  private final CRC32 crc = new CRC32();
  private final byte[] dictionary = new byte[DICTIONARY_SIZE];
  private int dictionaryLength;
  private long totalIn;

  /**
   * @param level 1 (fastest) to 9 (smallest), as gzip's
   * @param threads how many blocks are encoded at once at most
   */
  ZlibBlockEncoder(int level, int threads) {
    this.level = level;
    this.deflaters = new ArrayBlockingQueue<>(threads);
    for (int i = 0; i < threads; i++) {
      deflaters.add(new Deflater(level, true));
    }
  }

  @Override
  public byte[] header() {
    int extraFlags = level == 9 ? 2 : level == 1 ? 4 : 0; // as gzip marks -9 and -1
    return new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) extraFlags, 3};
  }

  @Override
  public void prepare(GzipBlock block) {
    crc.update(block.input, 0, block.inputLength);
    totalIn += block.inputLength;
    if (block.dictionary == null) {
      block.dictionary = new byte[DICTIONARY_SIZE];
    }
    System.arraycopy(dictionary, 0, block.dictionary, 0, dictionaryLength);
    block.dictionaryLength = dictionaryLength;
    rememberDictionary(block);
  }

  /** Keeps the last 32 KiB of input seen so far as the next block's dictionary. */
  private void rememberDictionary(GzipBlock block) {
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

  @Override
  public void encode(GzipBlock block) throws InterruptedException {
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
    } finally {
      deflaters.add(deflater);
    }
  }

  /** Deflates into the block's output, growing it when full; true when it was full. */
  private static boolean deflateInto(GzipBlock block, Deflater deflater, int flush) {
    if (block.outputLength == block.output.length) {
      block.ensureOutputCapacity(block.output.length * 2);
    }
    int free = block.output.length - block.outputLength;
    int n = deflater.deflate(block.output, block.outputLength, free, flush);
    block.outputLength += n;
    return n == free;
  }

  @Override
  public byte[] trailer() {
    byte[] trailer = new byte[8];
    writeIntLittleEndian(trailer, 0, crc.getValue());
    writeIntLittleEndian(trailer, 4, totalIn);
    return trailer;
  }

  private static void writeIntLittleEndian(byte[] into, int at, long value) {
    for (int i = 0; i < 4; i++) {
      into[at + i] = (byte) (value >>> (8 * i));
    }
  }

  /**
   * Ends the deflaters not in use; one still deflating (the stream failed) is left to its cleaner.
   */
  @Override
  public void close() {
    deflaters.forEach(Deflater::end);
  }
}
