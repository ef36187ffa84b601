package io.kanbu.backup.gateway.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupMediaTypeTest {

  @ParameterizedTest(name = "{0} {1}, encrypted {2} → {3}")
  @CsvSource({
    "DATABASE, gzip, false, application/gzip",
    "DATABASE, zstd, false, application/zstd",
    "DATABASE, none, false, application/sql",
    "SOURCE,   gzip, false, application/gzip",
    "SOURCE,   zstd, false, application/zstd",
    "SOURCE,   none, false, application/x-tar",
    "DATABASE, zstd, true,  application/octet-stream",
    "SOURCE,   none, true,  application/octet-stream",
    "DATABASE, lz5,  false, application/octet-stream"
  })
  void aDownloadsType_followsKindCompressionAndEncryption(
      BackupKind kind, String compression, boolean encrypted, String expected) {
    String sha = "0".repeat(64);
    BackupRecord backup =
        BackupRecord.available(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "default",
            kind,
            new BackupRecord.Location("local", "default/x", "x"),
            new BackupRecord.Content(
                3,
                2,
                2,
                sha,
                sha,
                compression,
                encrypted,
                encrypted ? "primary" : null,
                null,
                null),
            Instant.now());

    assertThat(BackupMediaType.of(backup)).hasToString(expected);
  }
}
