package io.kanbu.backup.core.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Inputs for compression tests, the same for a given size. */
final class SampleData {

  private SampleData() {}

  /** Incompressible bytes. */
  static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  /** Text like a dump's COPY data: compressible, with repeats spanning block boundaries. */
  static byte[] sqlLike(int size) {
    StringBuilder sb = new StringBuilder(size + 64);
    Random random = new Random(size);
    for (int row = 0; sb.length() < size; row++) {
      sb.append(row).append('\t').append(random.nextInt(100_000)).append("\tsome account text ");
      sb.append(row % 13 == 0 ? "with a rarer suffix\n" : "\n");
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Rows like {@code pgbench_accounts}' in a dump: a counting key, two small numbers and a {@code
   * char(84)} column of blanks.
   */
  static byte[] blankPadded(int size) {
    StringBuilder sb = new StringBuilder(size + 128);
    String blanks = " ".repeat(84);
    for (int row = 1; sb.length() < size; row++) {
      sb.append(row).append('\t').append(1 + row / 100_000).append("\t0\t").append(blanks);
      sb.append('\n');
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }
}
