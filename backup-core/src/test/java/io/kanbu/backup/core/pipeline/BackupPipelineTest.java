package io.kanbu.backup.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupPipelineTest {

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** A sink that records whether someone closed it. */
  static final class TrackingSink extends FilterOutputStream {
    boolean closed;

    TrackingSink(ByteArrayOutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 1_048_577, 3_333_333})
  void randomData_roundTrips_andResultDescribesTheStoredBytes(int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    // half random, half repetitive, so compression has something to do
    for (int i = 0; i < size / 2; i++) {
      data[i] = (byte) ('a' + i % 7);
    }
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    TrackingSink sink = new TrackingSink(stored);

    PipelineResult result =
        new BackupPipeline(Compression.gzip(6), PipelineStage.identity(), 64 * 1024)
            .run(new ByteArrayInputStream(data), sink);

    byte[] bytes = stored.toByteArray();
    assertThat(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes()).isEqualTo(data);
    assertThat(result.rawBytes()).isEqualTo(size);
    assertThat(result.storedBytes()).isEqualTo(bytes.length);
    assertThat(result.compressedBytes()).isEqualTo(bytes.length);
    assertThat(result.sha256Stored()).isEqualTo(sha256(bytes));
    assertThat(result.sha256Compressed()).isEqualTo(sha256(bytes));
    assertThat(sink.closed).as("the storage backend owns the sink").isFalse();
  }

  @Test
  void progress_isToldOfTheSourceBytesWhileTheyFlow_addingUpToTheRawCount() throws Exception {
    byte[] data = new byte[3 * 64 * 1024 + 17];
    new Random(7).nextBytes(data);
    java.util.List<Long> calls = new java.util.ArrayList<>();
    ByteArrayOutputStream stored = new ByteArrayOutputStream();

    PipelineResult result =
        new BackupPipeline(Compression.gzip(1), PipelineStage.identity(), 64 * 1024, calls::add)
            .run(new ByteArrayInputStream(data), stored);

    assertThat(calls).as("one call per buffer, not one at the end").hasSizeGreaterThan(3);
    assertThat(calls.stream().mapToLong(Long::longValue).sum()).isEqualTo(result.rawBytes());
  }

  @Test
  void encryptionSlot_sitsBetweenTheTwoDigests() throws Exception {
    byte[] data = "hello hello hello hello".getBytes();
    // a stand-in transforming stage: inverts every byte
    PipelineStage invert =
        next ->
            new FilterOutputStream(next) {
              @Override
              public void write(int b) throws IOException {
                out.write(~b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                byte[] copy = new byte[len];
                for (int i = 0; i < len; i++) {
                  copy[i] = (byte) ~b[off + i];
                }
                out.write(copy);
              }
            };
    ByteArrayOutputStream stored = new ByteArrayOutputStream();

    PipelineResult result =
        new BackupPipeline(Compression.gzip(6), invert, 4096)
            .run(new ByteArrayInputStream(data), stored);

    byte[] storedBytes = stored.toByteArray();
    byte[] compressed = new byte[storedBytes.length];
    for (int i = 0; i < compressed.length; i++) {
      compressed[i] = (byte) ~storedBytes[i];
    }
    assertThat(result.sha256Stored()).isEqualTo(sha256(storedBytes));
    assertThat(result.sha256Compressed()).isEqualTo(sha256(compressed));
    assertThat(result.sha256Compressed()).isNotEqualTo(result.sha256Stored());
    assertThat(new GZIPInputStream(new ByteArrayInputStream(compressed)).readAllBytes())
        .isEqualTo(data);
  }
}
