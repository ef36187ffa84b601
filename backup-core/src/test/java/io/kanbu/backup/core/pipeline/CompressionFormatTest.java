package io.kanbu.backup.core.pipeline;

import static io.kanbu.backup.core.pipeline.SampleData.random;
import static io.kanbu.backup.core.pipeline.SampleData.sqlLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format through {@link CompressStage} and back through {@link CompressionFormat#decompress},
 * on every thread count, with data of the sizes where block code breaks: 0, 1, a block − 1, a
 * block, a block + 1, several blocks; compressible and incompressible. The stock tools read every
 * output.
 */
class CompressionFormatTest {

  /**
   * gzip's block ({@link ParallelGzipOutputStream#DEFAULT_BLOCK_SIZE}), the size zstd is fed in.
   */
  private static final int BLOCK = ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE;

  private static final int[] SIZES = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 4321};

  static Stream<Arguments> formatsThreadsAndSizes() {
    return Stream.of(CompressionFormat.values())
        .flatMap(
            format ->
                Stream.of(1, 2, 4)
                    .flatMap(
                        threads ->
                            Arrays.stream(SIZES)
                                .mapToObj(size -> Arguments.of(format, threads, size))));
  }

  @ParameterizedTest(name = "{0} on {1} threads, {2} bytes")
  @MethodSource("formatsThreadsAndSizes")
  void roundTrips_compressibleAndIncompressibleData(CompressionFormat format, int threads, int size)
      throws IOException {
    for (byte[] data : List.of(sqlLike(size), random(size))) {
      byte[] compressed = compress(format, format.defaultLevel(), threads, data);
      assertThat(decompress(format, compressed)).isEqualTo(data);
      if (format != CompressionFormat.NONE && size > 0) {
        assertThat(CompressionFormat.ofMagic(compressed)).isEqualTo(format);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = CompressionFormat.class,
      names = {"GZIP", "ZSTD"})
  void stockTools_testAndDecompressEveryOutput(CompressionFormat format, @TempDir Path dir)
      throws Exception {
    String tool = format == CompressionFormat.GZIP ? "gunzip" : "zstd";
    for (int threads : new int[] {1, 2, 4}) {
      for (int size : SIZES) {
        for (byte[] data : List.of(sqlLike(size), random(size))) {
          Path file = dir.resolve("dump-" + threads + "-" + size + ".sql" + format.suffix());
          Files.write(file, compress(format, format.defaultLevel(), threads, data));

          Process test =
              new ProcessBuilder(tool, "-t", file.toString()).redirectErrorStream(true).start();
          String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertThat(test.waitFor()).as("%s -t %s: %s", tool, file, output).isZero();
          Process cat = new ProcessBuilder(tool, "-dc", file.toString()).start();
          assertThat(cat.getInputStream().readAllBytes()).isEqualTo(data);
          assertThat(cat.waitFor()).isZero();
          Files.delete(file);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = CompressionFormat.class,
      names = {"GZIP", "ZSTD"})
  void aCorruptedBlock_failsAsDamaged_namingTheFormat(CompressionFormat format) throws IOException {
    byte[] compressed = compress(format, format.defaultLevel(), 2, random(3 * BLOCK));
    compressed[compressed.length / 2] ^= 0x55;

    assertThatThrownBy(() -> decompress(format, compressed))
        .isInstanceOf(DamagedCompressedStreamException.class)
        .hasMessageContaining("the " + format.id() + " stream is damaged or truncated");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = CompressionFormat.class,
      names = {"GZIP", "ZSTD"})
  void aTruncatedOrEmptyStream_failsAsDamaged(CompressionFormat format) throws IOException {
    byte[] compressed = compress(format, format.defaultLevel(), 2, sqlLike(2 * BLOCK));

    assertThatThrownBy(() -> decompress(format, Arrays.copyOf(compressed, compressed.length - 10)))
        .isInstanceOf(DamagedCompressedStreamException.class);
    assertThatThrownBy(() -> decompress(format, new byte[0]))
        .isInstanceOf(DamagedCompressedStreamException.class);
  }

  @Test
  void aFailureOfTheStreamBelow_keepsItsType_andIsNotCalledDamage() throws IOException {
    byte[] compressed = compress(CompressionFormat.ZSTD, 3, 1, sqlLike(2 * BLOCK));
    InputStream failing =
        new InputStream() {
          private final InputStream in = new ByteArrayInputStream(compressed, 0, 100);

          @Override
          public int read() throws IOException {
            throw new IOException("storage went away");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
              throw new IOException("storage went away");
            }
            return n;
          }
        };

    assertThatThrownBy(
            () ->
                CompressionFormat.ZSTD
                    .decompress(failing)
                    .transferTo(OutputStream.nullOutputStream()))
        .isNotInstanceOf(DamagedCompressedStreamException.class)
        .hasMessage("storage went away");
  }

  @Test
  void fileNames_andNames_sayTheFormat() {
    assertThat(CompressionFormat.ofFileName("kanbu_backup_x_1a2b3c4d.sql.gz"))
        .contains(CompressionFormat.GZIP);
    assertThat(CompressionFormat.ofFileName("kanbu_source_x_1a2b3c4d.tar.zst.enc"))
        .contains(CompressionFormat.ZSTD);
    assertThat(CompressionFormat.ofFileName("kanbu_backup_x.sql")).contains(CompressionFormat.NONE);
    assertThat(CompressionFormat.ofFileName("kanbu_source_x.tar.enc"))
        .contains(CompressionFormat.NONE);
    assertThat(CompressionFormat.ofFileName("notes.txt")).isEmpty();
    assertThat(CompressionFormat.of("ZSTD")).isEqualTo(CompressionFormat.ZSTD);
    assertThatThrownBy(() -> CompressionFormat.of("lz4"))
        .hasMessage("unknown compression 'lz4'; use one of gzip, zstd, none");
  }

  @Test
  void levels_areCheckedPerFormat() {
    assertThat(Compression.zstd(19).level()).isEqualTo(19);
    assertThatThrownBy(() -> Compression.zstd(20))
        .hasMessageContaining("zstd level 20 is outside 1-19");
    assertThatThrownBy(() -> new Compression(CompressionFormat.NONE, 6, 1))
        .hasMessageContaining("compression 'none' has no level");
    assertThat(Compression.none().level()).isZero();
  }

  @Test
  void zstd_level19IsSmallerThanLevel1_andThreadsDoNotChangeTheOutput() throws IOException {
    byte[] data = sqlLike(4 * BLOCK);
    byte[] fast = compress(CompressionFormat.ZSTD, 1, 2, data);
    byte[] small = compress(CompressionFormat.ZSTD, 19, 2, data);

    assertThat(small.length).isLessThan(fast.length);
    assertThat(compress(CompressionFormat.ZSTD, 3, 4, data))
        .isEqualTo(compress(CompressionFormat.ZSTD, 3, 2, data));
  }

  private static byte[] compress(CompressionFormat format, int level, int threads, byte[] data)
      throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new CompressStage(new Compression(format, level, threads)).wrap(sink)) {
      // uneven writes, as a pipe delivers them
      int off = 0;
      Random chunks = new Random(data.length);
      while (off < data.length) {
        int n = Math.min(data.length - off, 1 + chunks.nextInt(200_000));
        out.write(data, off, n);
        off += n;
      }
    }
    return sink.toByteArray();
  }

  private static byte[] decompress(CompressionFormat format, byte[] compressed) throws IOException {
    try (InputStream in = format.decompress(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }
}
