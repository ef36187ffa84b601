package io.kanbu.backup.core.naming;

import static org.assertj.core.api.Assertions.assertThat;

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
}
