package io.kanbu.backup.core.pipeline;

import static io.kanbu.backup.core.pipeline.SampleData.blankPadded;
import static io.kanbu.backup.core.pipeline.SampleData.random;
import static io.kanbu.backup.core.pipeline.SampleData.sqlLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelGzipOutputStreamTest {

  private static final int BLOCK = 32 * 1024;

  /**
   * Both engines wherever libdeflate's library is built; {@link #libdeflate_loads_whereTheBuild
   * HadItsHeaders} makes sure that is everywhere the build could build it.
   */
  static Stream<GzipEngine> engines() {
    return Libdeflate.available()
        ? Stream.of(GzipEngine.ZLIB, GzipEngine.LIBDEFLATE)
        : Stream.of(GzipEngine.ZLIB);
  }

  static Stream<Arguments> sizesThreadsAndEngines() {
    int[] sizes = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 7 * BLOCK + 123, 40 * BLOCK};
    return engines()
        .flatMap(
            engine ->
                Stream.of(1, 2, 4)
                    .flatMap(
                        threads ->
                            Arrays.stream(sizes).mapToObj(s -> Arguments.of(s, threads, engine))));
  }

  @Test
  void libdeflate_loads_whereTheBuildHadItsHeaders() {
    boolean built =
        System.getProperty("os.name").equals("Linux")
            && Files.exists(Path.of("/usr/include/libdeflate.h"));

    assertThat(Libdeflate.available()).as(Libdeflate.unavailableReason()).isEqualTo(built);
    if (built) {
      assertThat(Libdeflate.version()).matches("\\d+\\.\\d+(\\.\\d+)?");
      assertThat(GzipEngine.select("auto"))
          .isEqualTo(
              new GzipEngine.Selection(
                  GzipEngine.LIBDEFLATE,
                  false,
                  "gzip through libdeflate " + Libdeflate.version() + " (native)"));
    } else {
      GzipEngine.Selection selection = GzipEngine.select("auto");
      assertThat(selection.engine()).isEqualTo(GzipEngine.ZLIB);
      assertThat(selection.unexpected()).isTrue();
      assertThat(selection.detail()).contains("BACKUP_NATIVE_GZIP=off");
    }
  }

  @Test
  void off_choosesZlib_andAnythingElseIsRefusedByName() {
    try {
      assertThat(GzipEngine.select(" OFF ").engine()).isEqualTo(GzipEngine.ZLIB);
      assertThat(GzipEngine.selection().unexpected()).isFalse();
      assertThatThrownBy(() -> GzipEngine.select("fast"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("BACKUP_NATIVE_GZIP is 'fast'; set it to auto (the default) or off");
    } finally {
      GzipEngine.select(null);
    }
  }

  @ParameterizedTest(name = "{0} bytes on {1} threads, {2}")
  @MethodSource("sizesThreadsAndEngines")
  void roundTrips_compressibleAndRandomData(int size, int threads, GzipEngine engine)
      throws IOException {
    for (byte[] data : new byte[][] {sqlLike(size), random(size)}) {
      byte[] gz = compress(data, 6, threads, BLOCK, engine);
      assertThat(gunzip(gz)).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void singleByteWrites_andUnevenWrites_giveTheSameStreamAsOneWrite(GzipEngine engine)
      throws IOException {
    byte[] data = sqlLike(3 * BLOCK + 17);
    ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(oneByOne, 6, 2, BLOCK, engine)) {
      for (int i = 0; i < 1000; i++) {
        out.write(data[i]);
      }
      out.write(data, 1000, data.length - 1000);
    }
    assertThat(oneByOne.toByteArray()).isEqualTo(compress(data, 6, 2, BLOCK, engine));
  }

  @Test
  void zlib_writesOneGzipMemberWithTheTrailerOfTheWholeInput() throws IOException {
    byte[] data = sqlLike(5 * BLOCK);
    byte[] gz = compress(data, 9, 2, BLOCK, GzipEngine.ZLIB);

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
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes()).isEqualTo(data);
  }

  @Test
  void libdeflate_writesAGzipMemberPerBlock_eachWholeOnItsOwn() throws IOException {
    assumeLibdeflate();
    byte[] data = sqlLike(3 * BLOCK + 100);
    byte[] gz = compress(data, 6, 2, BLOCK, GzipEngine.LIBDEFLATE);

    try (GzipCompressorInputStream members =
        new GzipCompressorInputStream(new ByteArrayInputStream(gz), false)) {
      assertThat(members.readAllBytes()).as("the first member").hasSize(BLOCK);
    }
    assertThat(gunzip(gz)).isEqualTo(data);
  }

  @Test
  void libdeflate_growsABlocksOutput_forIncompressibleData() throws IOException {
    assumeLibdeflate();
    int block = ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE; // output starts at an eighth of it
    byte[] data = random(3 * block + 7);

    byte[] gz = compress(data, 6, 2, block, GzipEngine.LIBDEFLATE);

    assertThat(gz.length).isGreaterThan(data.length);
    assertThat(gunzip(gz)).isEqualTo(data);
  }

  @Test
  void libdeflate_takesLevelOnesMatchFinder_forBlankPaddedRows() throws IOException {
    assumeLibdeflate();
    int block = ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE;
    byte[] data = blankPadded(40 * block + 3);

    byte[] gz = compress(data, 6, 2, block, GzipEngine.LIBDEFLATE);

    long levelSix = membersAtOneLevel(data, block, 6).length;
    long levelOne = membersAtOneLevel(data, block, 1).length;
    assertThat(levelOne).as("level 1 on these rows").isLessThan(levelSix);
    // the blocks before the first trial's outcome applies take level 6
    assertThat((long) gz.length).isLessThan(levelOne + (levelSix - levelOne) / 4);
    assertThat(gunzip(gz)).isEqualTo(data);
  }

  /**
   * 16 blocks of blank-padded rows, then text: on 2 threads (lag 5) blocks 1-4 take level 6, 5-20
   * follow block 0's trial (level 1) even where they are text, 21 on follow block 16's (level 6);
   * trial blocks (0, 16, 32) take the smaller member.
   */
  @Test
  void libdeflate_blocksFollowTheTrialALagBefore_theSameBytesWhateverTheTiming()
      throws IOException {
    assumeLibdeflate();
    int block = 256 * 1024;
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.write(blankPadded(16 * block));
    input.write(sqlLike(24 * block));
    byte[] data = input.toByteArray();
    int lag = ParallelGzipOutputStream.maxInFlight(2) + 1;
    List<byte[]> levelSix = memberList(data, block, 6);
    List<byte[]> levelOne = memberList(data, block, 1);
    assertThat(levelOne.get(0).length).as("block 0 at level 1").isLessThan(levelSix.get(0).length);
    assertThat(levelOne.get(16).length)
        .as("block 16 at level 1")
        .isGreaterThan(levelSix.get(16).length);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int k = 0; k < levelSix.size(); k++) {
      boolean trial = k % MatchFinderTrials.MIN_PERIOD == 0; // the smaller of the two
      boolean atLevelOne =
          trial
              ? levelOne.get(k).length < levelSix.get(k).length
              : k >= lag && k < MatchFinderTrials.MIN_PERIOD + lag;
      expected.write(atLevelOne ? levelOne.get(k) : levelSix.get(k));
    }
    for (int run = 0; run < 3; run++) {
      assertThat(compress(data, 6, 2, block, GzipEngine.LIBDEFLATE))
          .as("run %d", run)
          .isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void libdeflate_keepsTheRequestedLevel_forText() throws IOException {
    assumeLibdeflate();
    int block = 256 * 1024;
    byte[] data = sqlLike(40 * block);

    byte[] gz = compress(data, 6, 2, block, GzipEngine.LIBDEFLATE);

    assertThat(gz).isEqualTo(membersAtOneLevel(data, block, 6));
  }

  @Test
  void theFormatsDefault_isLibdeflatesMembers_whereItLoads() throws IOException {
    assumeLibdeflate();
    GzipEngine.select(null);
    byte[] data = sqlLike(2 * ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE + 1);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = CompressionFormat.GZIP.compress(sink, 6, 2)) {
      out.write(data);
    }

    assertThat(countMembers(sink.toByteArray())).isEqualTo(3);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void size_staysCloseToSingleThreadedGzipAtTheSameLevel(GzipEngine engine) throws IOException {
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
    byte[] parallel = compress(data, 6, 2, ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE, engine);

    // zlib's blocks continue one stream; libdeflate's differ in how they search (README)
    double slack = engine == GzipEngine.ZLIB ? 1.01 : 1.03;
    assertThat((double) parallel.length).isLessThan(single.size() * slack);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void stockGunzip_acceptsTheOutput(GzipEngine engine, @TempDir Path dir) throws Exception {
    byte[] data = sqlLike(9 * BLOCK + 5);
    Path file = dir.resolve("dump.sql.gz");
    Files.write(file, compress(data, 6, 2, BLOCK, engine));

    Process test =
        new ProcessBuilder("gunzip", "-t", file.toString()).redirectErrorStream(true).start();
    String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(test.waitFor()).as(output).isZero();
    Process cat = new ProcessBuilder("gunzip", "-c", file.toString()).start();
    assertThat(cat.getInputStream().readAllBytes()).isEqualTo(data);
    assertThat(cat.waitFor()).isZero();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aCorruptedBlock_isDetectedOnReading(GzipEngine engine) throws IOException {
    byte[] data = random(6 * BLOCK);
    byte[] gz = compress(data, 6, 2, BLOCK, engine);
    gz[gz.length / 2] ^= 0x55;

    assertThatThrownBy(() -> gunzip(gz)).isInstanceOf(DamagedCompressedStreamException.class);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aTruncatedStream_isDetectedOnReading_evenAtAMemberBoundary(GzipEngine engine)
      throws IOException {
    byte[] data = sqlLike(4 * BLOCK);
    byte[] gz = compress(data, 6, 2, BLOCK, engine);
    int firstMember = compress(Arrays.copyOf(data, BLOCK), 6, 1, BLOCK, engine).length;

    for (int cut : new int[] {gz.length - 1, gz.length - 9, gz.length / 2, firstMember}) {
      byte[] truncated = Arrays.copyOf(gz, cut);
      if (engine == GzipEngine.LIBDEFLATE && cut == firstMember) {
        // a whole first member is a valid gzip file: the catalog's size and SHA-256 catch this
        assertThat(gunzip(truncated)).hasSize(BLOCK);
      } else {
        assertThatThrownBy(() -> gunzip(truncated))
            .as("cut at %d of %d", cut, gz.length)
            .isInstanceOf(DamagedCompressedStreamException.class);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("engines")
  void aFailingDownstream_surfacesToTheWriter(GzipEngine engine) {
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
              try (OutputStream out = new ParallelGzipOutputStream(broken, 1, 2, BLOCK, engine)) {
                out.write(random(20 * BLOCK));
              }
            })
        .hasMessageContaining("disk full");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void afterAFailedWrite_closeOnlyCleansUp_andMoreInputIsRefused(GzipEngine engine)
      throws IOException {
    AtomicInteger closes = new AtomicInteger();
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (len > 10) { // the header passes; the first block does not
              throw new IOException("disk full");
            }
          }

          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    OutputStream out = new ParallelGzipOutputStream(broken, 6, 1, BLOCK, engine);
    // one thread and three blocks in flight at most: the fourth full block waits for the first
    assertThatThrownBy(() -> out.write(random(10 * BLOCK))).hasMessageContaining("disk full");

    assertThatThrownBy(() -> out.write(1)).hasMessageContaining("failed before");
    out.close(); // nothing submitted again, nothing written
    assertThat(closes).hasValue(1);
  }

  @ParameterizedTest
  @MethodSource("engines")
  void writingAfterClose_isRefused(GzipEngine engine) throws IOException {
    OutputStream out =
        new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 1, BLOCK, engine);
    out.close();
    assertThatThrownBy(() -> out.write(1)).hasMessageContaining("closed");
  }

  private static byte[] compress(
      byte[] data, int level, int threads, int blockSize, GzipEngine engine) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(sink, level, threads, blockSize, engine)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  /** {@code data} as gzip members of {@code block} bytes, each at {@code level}. */
  private static byte[] membersAtOneLevel(byte[] data, int block, int level) throws IOException {
    ByteArrayOutputStream members = new ByteArrayOutputStream();
    for (byte[] member : memberList(data, block, level)) {
      members.write(member);
    }
    return members.toByteArray();
  }

  private static List<byte[]> memberList(byte[] data, int block, int level) {
    long compressor = Libdeflate.allocCompressor(level);
    try {
      List<byte[]> members = new ArrayList<>();
      byte[] input = new byte[block];
      byte[] output = new byte[2 * block];
      for (int offset = 0; offset < data.length; offset += block) {
        int length = Math.min(block, data.length - offset);
        System.arraycopy(data, offset, input, 0, length);
        int n = Libdeflate.gzipCompress(compressor, input, length, output, output.length);
        assertThat(n).as("libdeflate's result").isPositive();
        members.add(Arrays.copyOf(output, n));
      }
      return members;
    } finally {
      Libdeflate.freeCompressor(compressor);
    }
  }

  /** Reads as every reader of backups does. */
  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = CompressionFormat.GZIP.decompress(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /**
   * How many gzip members {@code gz} holds: each a 10-byte header without optional fields (as
   * libdeflate writes them), a deflate stream, an 8-byte trailer.
   */
  private static int countMembers(byte[] gz) throws IOException {
    int members = 0;
    int offset = 0;
    byte[] sink = new byte[1 << 16];
    while (offset < gz.length) {
      assertThat(gz[offset] & 0xff).as("magic at %d", offset).isEqualTo(0x1f);
      assertThat(gz[offset + 3]).as("no optional header fields").isZero();
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(gz, offset + 10, gz.length - offset - 10);
        while (!inflater.finished()) {
          inflater.inflate(sink);
        }
        offset += 10 + (int) inflater.getBytesRead() + 8;
      } catch (DataFormatException e) {
        throw new IOException(e);
      } finally {
        inflater.end();
      }
      members++;
    }
    return members;
  }

  private static void assumeLibdeflate() {
    assumeTrue(Libdeflate.available(), "libdeflate_loads_whereTheBuildHadItsHeaders checks why");
  }
}
