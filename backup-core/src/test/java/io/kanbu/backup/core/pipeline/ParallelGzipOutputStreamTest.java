package io.kanbu.backup.core.pipeline;

import static io.kanbu.backup.core.pipeline.SampleData.random;
import static io.kanbu.backup.core.pipeline.SampleData.sqlLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelGzipOutputStreamTest {

  private static final int BLOCK = 32 * 1024;

  static Stream<Arguments> sizesAndThreads() {
    int[] sizes = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 7 * BLOCK + 123, 40 * BLOCK};
    return Stream.of(1, 2, 4)
        .flatMap(threads -> java.util.Arrays.stream(sizes).mapToObj(s -> Arguments.of(s, threads)));
  }

  @ParameterizedTest(name = "{0} bytes on {1} threads")
  @MethodSource("sizesAndThreads")
  void roundTrips_compressibleAndRandomData(int size, int threads) throws IOException {
    for (byte[] data : new byte[][] {sqlLike(size), random(size)}) {
      byte[] gz = compress(data, 6, threads, BLOCK);
      assertThat(gunzip(gz)).isEqualTo(data);
    }
  }

  @Test
  void singleByteWrites_andUnevenWrites_giveTheSameStreamAsOneWrite() throws IOException {
    byte[] data = sqlLike(3 * BLOCK + 17);
    ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(oneByOne, 6, 2, BLOCK)) {
      for (int i = 0; i < 1000; i++) {
        out.write(data[i]);
      }
      out.write(data, 1000, data.length - 1000);
    }
    assertThat(oneByOne.toByteArray()).isEqualTo(compress(data, 6, 2, BLOCK));
  }

  @Test
  void output_isOneGzipMemberWithTheTrailerOfTheWholeInput() throws IOException {
    byte[] data = sqlLike(5 * BLOCK);
    byte[] gz = compress(data, 9, 2, BLOCK);

    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(gz[1] & 0xff).isEqualTo(0x8b);
    assertThat(gz[8]).as("XFL marks level 9 as gzip does").isEqualTo((byte) 2);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    int n = gz.length;
    long trailerCrc =
        (gz[n - 8] & 0xffL)
            | (gz[n - 7] & 0xffL) << 8
            | (gz[n - 6] & 0xffL) << 16
            | (gz[n - 5] & 0xffL) << 24;
    assertThat(trailerCrc).isEqualTo(crc.getValue());
  }

  @Test
  void size_staysWithinOnePercentOfSingleThreadedGzipAtTheSameLevel() throws IOException {
    byte[] data = sqlLike(4 << 20);
    ByteArrayOutputStream single = new ByteArrayOutputStream();
    try (OutputStream out =
        new GZIPOutputStream(single) {
          {
            def.setLevel(6);
          }
        }) {
      out.write(data);
    }
    byte[] parallel = compress(data, 6, 2, ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE);

    assertThat((double) parallel.length).isLessThan(single.size() * 1.01);
  }

  @Test
  void stockGunzip_acceptsTheOutput(@TempDir Path dir) throws Exception {
    byte[] data = sqlLike(9 * BLOCK + 5);
    Path file = dir.resolve("dump.sql.gz");
    Files.write(file, compress(data, 6, 2, BLOCK));

    Process test =
        new ProcessBuilder("gunzip", "-t", file.toString()).redirectErrorStream(true).start();
    String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(test.waitFor()).as(output).isZero();
    Process cat = new ProcessBuilder("gunzip", "-c", file.toString()).start();
    assertThat(cat.getInputStream().readAllBytes()).isEqualTo(data);
    assertThat(cat.waitFor()).isZero();
  }

  @Test
  void aCorruptedBlock_isDetectedOnReading() throws IOException {
    byte[] data = random(6 * BLOCK);
    byte[] gz = compress(data, 6, 2, BLOCK);
    gz[gz.length / 2] ^= 0x55;

    assertThatThrownBy(() -> gunzip(gz)).isInstanceOf(ZipException.class);
  }

  @Test
  void aFailingDownstream_surfacesToTheWriter() {
    OutputStream broken =
        new OutputStream() {
          private int written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 1000) {
              throw new IOException("disk full");
            }
          }
        };

    assertThatThrownBy(
            () -> {
              try (OutputStream out = new ParallelGzipOutputStream(broken, 1, 2, BLOCK)) {
                out.write(random(20 * BLOCK));
              }
            })
        .hasMessageContaining("disk full");
  }

  @Test
  void writingAfterClose_isRefused() throws IOException {
    OutputStream out = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 1, BLOCK);
    out.close();
    assertThatThrownBy(() -> out.write(1)).hasMessageContaining("closed");
  }

  private static byte[] compress(byte[] data, int level, int threads, int blockSize)
      throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(sink, level, threads, blockSize)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
  }
}
