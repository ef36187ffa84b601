package io.kanbu.backup.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProbeTest {

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

  @Test
  void writableDirectory_isWritable_andTheProbeObjectIsGone() throws Exception {
    StorageProbe probe =
        new StorageProbe(new LocalStorageBackend(dir), clock, Duration.ofSeconds(30));

    StorageProbe.Result result = probe.check();

    assertThat(result.writable()).as(result.error()).isTrue();
    assertThat(result.storage()).isEqualTo("local");
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void rootUnderARegularFile_isNotWritable_withAReasonNamingTheStorage() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    StorageProbe probe =
        new StorageProbe(
            new LocalStorageBackend(file.resolve("backups")), clock, Duration.ofSeconds(30));

    StorageProbe.Result result = probe.check();

    assertThat(result.writable()).isFalse();
    assertThat(result.error()).contains("probe object", "storage 'local'", "not a directory");
  }

  @Test
  void answer_isReusedForMaxAge_thenTheStorageIsProbedAgain() throws Exception {
    Path root = dir.resolve("root");
    StorageProbe probe =
        new StorageProbe(new LocalStorageBackend(root), clock, Duration.ofSeconds(30));
    assertThat(probe.check().writable()).isTrue();

    // the storage breaks: its root becomes a regular file
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.writeString(root, "not a directory");
    clock.advance(Duration.ofSeconds(29));
    assertThat(probe.check().writable()).as("cached").isTrue();

    clock.advance(Duration.ofSeconds(1));
    assertThat(probe.check().writable()).as("probed again").isFalse();
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
