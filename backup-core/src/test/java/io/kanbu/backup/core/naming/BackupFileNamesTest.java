package io.kanbu.backup.core.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.inventory.LegacyFileName;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackupFileNamesTest {

  private final UUID id = UUID.fromString("1a2b3c4d-0000-4000-8000-000000000000");

  @Test
  void databaseName_usesUtcTimeAndTheShortId() {
    assertThat(BackupFileNames.database(Instant.parse("2026-01-31T02:03:04.999Z"), id))
        .isEqualTo("kanbu_backup_2026-01-31T02-03-04_1a2b3c4d.sql.gz");
  }

  @Test
  void sourceName_followsTheSameScheme() {
    assertThat(BackupFileNames.source(Instant.parse("2026-12-01T23:59:59Z"), id))
        .isEqualTo("kanbu_source_2026-12-01T23-59-59_1a2b3c4d.tar.gz");
  }

  @Test
  void everyCompressionAndEncryption_endsTheNameAsTheFileIs() {
    Instant time = Instant.parse("2026-12-01T23:59:59Z");
    assertThat(BackupFileNames.database(time, id, CompressionFormat.ZSTD, true))
        .isEqualTo("kanbu_backup_2026-12-01T23-59-59_1a2b3c4d.sql.zst.enc");
    assertThat(BackupFileNames.database(time, id, CompressionFormat.NONE, false))
        .isEqualTo("kanbu_backup_2026-12-01T23-59-59_1a2b3c4d.sql");
    assertThat(BackupFileNames.source(time, id, CompressionFormat.ZSTD, false))
        .isEqualTo("kanbu_source_2026-12-01T23-59-59_1a2b3c4d.tar.zst");
    assertThat(BackupFileNames.source(time, id, CompressionFormat.NONE, true))
        .isEqualTo("kanbu_source_2026-12-01T23-59-59_1a2b3c4d.tar.enc");
  }

  @Test
  void aRescanReadsTheFormatBackFromEveryName() {
    Instant time = Instant.parse("2026-12-01T23:59:59Z");
    for (CompressionFormat format : CompressionFormat.values()) {
      for (boolean encrypted : new boolean[] {false, true}) {
        String key = "billing/database/" + BackupFileNames.database(time, id, format, encrypted);
        LegacyFileName.Parsed parsed = LegacyFileName.parse(key);

        assertThat(parsed).as(key).isNotNull();
        assertThat(parsed.compression()).isEqualTo(format);
        assertThat(parsed.encrypted()).isEqualTo(encrypted);
        assertThat(parsed.ours()).isTrue();
        assertThat(parsed.target()).isEqualTo("billing");
        assertThat(LegacyFileName.parse(key.replace("kanbu_backup_", "kanbu_source_")))
            .as("a dump named like an archive")
            .isNull();
      }
    }
  }
}
