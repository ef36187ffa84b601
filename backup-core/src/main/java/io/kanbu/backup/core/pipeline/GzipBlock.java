package io.kanbu.backup.core.pipeline;

import java.util.Arrays;

/**
 * One block of {@link ParallelGzipOutputStream}'s input and its compressed output. Blocks are
 * pooled: the output array keeps whatever size the largest block it held needed.
 */
final class GzipBlock {
  final byte[] input;
  byte[] output;
  int inputLength;
  int outputLength;

  /** The block's position in the stream, 0 for the first. */
  long index;

  boolean last;

  /** Which match finder compresses it (libdeflate's blocks only). */
  MatchFinderTrials.Plan plan = MatchFinderTrials.Plan.REQUESTED;

  /** The input this block's compression may refer back to (zlib's blocks only), or null. */
  byte[] dictionary;

  int dictionaryLength;

  GzipBlock(int size) {
    this.input = new byte[size];
    // dumps compress 5-30x; random data grows it (once per pooled block) to the input's size
    this.output = new byte[size / 8 + 64 * 1024];
  }

  /** Makes the output at least {@code capacity} bytes, keeping what it holds. */
  void ensureOutputCapacity(int capacity) {
    if (output.length < capacity) {
      output = Arrays.copyOf(output, capacity);
    }
  }
}
