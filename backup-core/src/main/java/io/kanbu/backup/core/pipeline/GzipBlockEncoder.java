package io.kanbu.backup.core.pipeline;

/**
 * How {@link ParallelGzipOutputStream} turns its blocks into gzip bytes: zlib's blocks continue one
 * gzip member ({@link ZlibBlockEncoder}), libdeflate's are a member each ({@link
 * LibdeflateBlockEncoder}).
 */
interface GzipBlockEncoder {

  /** What the stream starts with (a member's header), or nothing. */
  byte[] header();

  /** Sees every block in input order on the writing thread, before it is encoded. */
  void prepare(GzipBlock block);

  /**
   * Compresses the block's input into its output. Called on the compressing threads, at most as
   * many at once as the encoder was made for.
   */
  void encode(GzipBlock block) throws InterruptedException;

  /** What the stream ends with, after the last block (a member's trailer), or nothing. */
  byte[] trailer();

  /** Frees what the encoder holds; waits for blocks still being encoded. */
  void close();
}
