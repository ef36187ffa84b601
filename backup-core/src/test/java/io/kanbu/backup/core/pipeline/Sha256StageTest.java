package io.kanbu.backup.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256StageTest {

  @Test
  void digestOfAbc_isTheFipsTestVector_andBytesPassThrough() throws IOException {
    Sha256Stage stage = new Sha256Stage();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = stage.wrap(sink)) {
      out.write('a');
      out.write("bc".getBytes(StandardCharsets.US_ASCII), 0, 2);
    }
    assertThat(stage.result())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
  }

  @Test
  void digestOfNothing_isTheEmptyDigest() throws IOException {
    Sha256Stage stage = new Sha256Stage();
    stage.wrap(new ByteArrayOutputStream()).close();
    assertThat(stage.result())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void result_beforeClose_isRefused() throws IOException {
    Sha256Stage stage = new Sha256Stage();
    stage.wrap(new ByteArrayOutputStream()).write(1);
    assertThatThrownBy(stage::result).isInstanceOf(IllegalStateException.class);
  }
}
