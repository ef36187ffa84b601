package io.kanbu.backup.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class ByteCountStageTest {

  @Test
  void countsSingleBytesAndSlices_andPassesThemThrough() throws IOException {
    ByteCountStage stage = new ByteCountStage();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = stage.wrap(sink)) {
      out.write(7);
      out.write(new byte[100], 10, 50);
    }
    assertThat(stage.result()).isEqualTo(51L);
    assertThat(sink.size()).isEqualTo(51);
  }

  @Test
  void result_beforeClose_isRefused() throws IOException {
    ByteCountStage stage = new ByteCountStage();
    stage.wrap(new ByteArrayOutputStream()).write(1);
    assertThat(stage.count()).isEqualTo(1);
    assertThatThrownBy(stage::result).isInstanceOf(IllegalStateException.class);
  }
}
