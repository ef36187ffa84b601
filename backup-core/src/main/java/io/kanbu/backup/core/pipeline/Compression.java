package io.kanbu.backup.core.pipeline;

import java.util.Objects;

/**
 * How the pipeline compresses: {@code format} at {@code level} on {@code threads} compressing
 * threads.
 *
 * @param format gzip, zstd or none
 * @param level a level of the format: gzip 1 (fastest) to 9 (smallest), zstd 1 to 19, none 0
 * @param threads compressing threads, at least 1; more threads never change gzip's ratio by more
 *     than a fraction of a percent, nor zstd's output at all once there are any
 */
public record Compression(CompressionFormat format, int level, int threads) {

  public Compression {
    Objects.requireNonNull(format, "format");
    if (!format.accepts(level)) {
      throw new IllegalArgumentException(
          format == CompressionFormat.NONE
              ? "compression 'none' has no level (got "
                  + level
                  + "); unset BACKUP_COMPRESSION_LEVEL"
              : format.id()
                  + " level "
                  + level
                  + " is outside "
                  + format.levels()
                  + "; check BACKUP_COMPRESSION_LEVEL");
    }
    if (threads < 1) {
      throw new IllegalArgumentException(
          "compression threads " + threads + " is below 1; check BACKUP_COMPRESSION_THREADS");
    }
  }

  /** gzip at {@code level} on every available core. */
  public static Compression gzip(int level) {
    return of(CompressionFormat.GZIP, level);
  }

  /** zstd at {@code level} on every available core. */
  public static Compression zstd(int level) {
    return of(CompressionFormat.ZSTD, level);
  }

  /** No compression. */
  public static Compression none() {
    return of(CompressionFormat.NONE, 0);
  }

  /** {@code format} at {@code level} on every available core. */
  public static Compression of(CompressionFormat format, int level) {
    return new Compression(format, level, Runtime.getRuntime().availableProcessors());
  }

  public Compression withThreads(int count) {
    return new Compression(format, level, count);
  }
}
