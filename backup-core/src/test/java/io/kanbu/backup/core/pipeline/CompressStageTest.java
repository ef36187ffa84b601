package io.kanbu.backup.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressStageTest {

  private static byte[] compress(int level, byte[] data) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = new CompressStage(Compression.gzip(level)).wrap(sink)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  private static byte[] compressibleText() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("INSERT INTO t VALUES (")
          .append(i)
          .append(", 'row ")
          .append(i % 97)
          .append("');\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void output_isGzipThatDecompressesToTheInput() throws IOException {
    byte[] data = compressibleText();
    byte[] gz = compress(6, data);

    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(gz[1] & 0xff).isEqualTo(0x8b);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes()).isEqualTo(data);
    assertThat(gz.length).isLessThan(data.length / 4);
  }

  @Test
  void level_changesTheOutput_level9IsNotLargerThanLevel1() throws IOException {
    byte[] data = compressibleText();
    byte[] fast = compress(1, data);
    byte[] small = compress(9, data);

    assertThat(fast).isNotEqualTo(small);
    assertThat(small.length).isLessThanOrEqualTo(fast.length);
  }

  @Test
  void levelOutsideOneToNine_orNoThreads_isRejectedNamingTheSetting() {
    assertThatThrownBy(() -> Compression.gzip(0))
        .hasMessageContaining("outside 1-9")
        .hasMessageContaining("BACKUP_COMPRESSION_LEVEL");
    assertThatThrownBy(() -> Compression.gzip(10)).hasMessageContaining("outside 1-9");
    assertThatThrownBy(() -> new Compression(CompressionFormat.GZIP, 6, 0))
        .hasMessageContaining("BACKUP_COMPRESSION_THREADS");
  }
}
