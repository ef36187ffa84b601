package io.kanbu.backup.core.pipeline;

/**
 * How the pipeline compresses: gzip at {@code level} (1-9, as gzip's) on {@code threads}
 * compressing threads.
 *
 * @param level 1 (fastest) to 9 (smallest)
 * @param threads compressing threads, at least 1; more threads never change the level's ratio by
 *     more than a fraction of a percent
 */
public record Compression(int level, int threads) {

  public Compression {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException(
          "gzip level " + level + " is outside 1-9; check BACKUP_COMPRESSION_LEVEL");
    }
    if (threads < 1) {
      throw new IllegalArgumentException(
          "compression threads " + threads + " is below 1; check BACKUP_COMPRESSION_THREADS");
    }
  }

  /** gzip at {@code level} on every available core. */
  public static Compression gzip(int level) {
    return new Compression(level, Runtime.getRuntime().availableProcessors());
  }

  public Compression withThreads(int count) {
    return new Compression(level, count);
  }
}
