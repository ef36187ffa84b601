package io.kanbu.backup.core.pipeline;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The compression formats a backup can have, with what each means for levels, file names and
 * reading. The name ({@link #id()}) is what manifests, the catalog and {@code BACKUP_COMPRESSION}
 * say.
 */
public enum CompressionFormat {
  /**
   * gzip (RFC 1952), block-parallel ({@link ParallelGzipOutputStream}) through the {@link
   * GzipEngine}: one member (zlib) or one member per block (libdeflate); levels as gzip's, 1-9,
   * default 6. Restorable by hand with {@code gunzip -c | psql}.
   */
  GZIP("gzip", ".gz", 1, 9, 6),
  /**
   * Zstandard (RFC 8878) through the reference library with its worker threads; levels 1-19 as the
   * {@code zstd} command's without {@code --ultra} (20-22 need windows of up to 128 MiB per thread,
   * which breaks the worker's memory bound), default 3. Restorable with {@code zstd -dc | psql}.
   */
  ZSTD("zstd", ".zst", 1, 19, 3),
  /** Not compressed: the plain SQL or tar; no level. */
  NONE("none", "", 0, 0, 0);

  private static final int READ_BUFFER = 1 << 16;

  /**
   * 1 MiB jobs for zstd's worker threads. The library's default at level 3 is 8 MiB, and each
   * worker holds its job, its window and its output: on 2 workers that measured +67 MiB resident
   * against +29 MiB at 2 MiB, which the worker's 300 MiB bound cannot spare. 1 MiB took another 5
   * MiB off (+35 against +40 MiB compressing 576 MB of the text benchmark's dump at level 3, at the
   * same speed and 0.2 % smaller); the output is a few percent larger than with the default jobs.
   */
  static final int ZSTD_JOB_BYTES = 1 << 20;

  private final String id;
  private final String suffix;
  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;

  CompressionFormat(String id, String suffix, int minLevel, int maxLevel, int defaultLevel) {
    this.id = id;
    this.suffix = suffix;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  /** {@code gzip}, {@code zstd} or {@code none}, as manifests and the catalog record it. */
  public String id() {
    return id;
  }

  /** What the format adds to {@code .sql} or {@code .tar}: {@code .gz}, {@code .zst} or nothing. */
  public String suffix() {
    return suffix;
  }

  public int defaultLevel() {
    return defaultLevel;
  }

  /** True when {@code level} is one this format knows ({@code none} has only level 0). */
  public boolean accepts(int level) {
    return level >= minLevel && level <= maxLevel;
  }

  /** The accepted levels for messages: {@code 1-9}, {@code 1-19}, or {@code none}. */
  public String levels() {
    return this == NONE ? "none" : minLevel + "-" + maxLevel;
  }

  /**
   * The format called {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the unknown value and the known ones
   */
  public static CompressionFormat of(String id) {
    for (CompressionFormat format : values()) {
      if (format.id.equalsIgnoreCase(id.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown compression '"
            + id
            + "'; use one of "
            + Arrays.stream(values()).map(f -> f.id).collect(Collectors.joining(", ")));
  }

  /**
   * The format a backup file's name says, after any {@code .enc}: {@code .sql.gz}/{@code .tar.gz}
   * gzip, {@code .sql.zst}/{@code .tar.zst} zstd, {@code .sql}/{@code .tar} none; empty for any
   * other name.
   */
  public static Optional<CompressionFormat> ofFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".enc")) {
      name = name.substring(0, name.length() - ".enc".length());
    }
    for (CompressionFormat format : values()) {
      if (name.endsWith(".sql" + format.suffix) || name.endsWith(".tar" + format.suffix)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /**
   * The format whose magic bytes start {@code head} (gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd}),
   * or null: a stream without either is not necessarily {@link #NONE}.
   */
  public static @Nullable CompressionFormat ofMagic(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return null;
  }

  /**
   * A stream that compresses into {@code out} and closes it when closed.
   *
   * @param level a level this format {@linkplain #accepts accepts}
   * @param threads compressing threads, at least 1
   */
  OutputStream compress(OutputStream out, int level, int threads) throws IOException {
    return switch (this) {
      case GZIP ->
          new ParallelGzipOutputStream(
              out,
              level,
              threads,
              ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE,
              GzipEngine.selection().engine());
      case ZSTD -> {
        // the library's worker threads compress while the caller's thread goes on reading; with
        // workers the frame is cut into jobs compressed in parallel, one frame whatever the count
        ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out);
        zstd.setLevel(level);
        zstd.setWorkers(threads);
        zstd.setJobSize(ZSTD_JOB_BYTES);
        zstd.setChecksum(true); // 32-bit content checksum in the frame: `zstd -t` checks it
        yield zstd;
      }
      case NONE -> out;
    };
  }

  /**
   * A stream of what {@code compressed} decompresses to. A damaged or truncated stream fails with
   * {@link DamagedCompressedStreamException}; failures of {@code compressed} itself (storage,
   * decryption) pass through as they are. Closing it closes {@code compressed}.
   */
  public InputStream decompress(InputStream compressed) throws IOException {
    if (this == NONE) {
      return compressed;
    }
    return DecompressingInputStream.open(this, compressed);
  }

  /** The decoder of this format on {@code source}; may read the stream's header. */
  InputStream decoder(InputStream source) throws IOException {
    return switch (this) {
      // every member to the end, each checked against its CRC-32 and length; the JDK's
      // GZIPInputStream before Java 23 may stop at a member boundary (JDK-7036144)
      case GZIP ->
          new GzipCompressorInputStream(new BufferedInputStream(source, READ_BUFFER), true);
      case ZSTD -> new ZstdInputStreamNoFinalizer(source);
      case NONE -> source;
    };
  }
}
