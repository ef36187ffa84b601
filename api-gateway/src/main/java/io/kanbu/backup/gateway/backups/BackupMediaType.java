package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import org.springframework.http.MediaType;

/**
 * The media type a backup downloads as, from what the catalog records (the gateway streams stored
 * objects and never decodes them): encrypted is opaque; otherwise the compression's type, or the
 * SQL or tar itself when there is none.
 */
final class BackupMediaType {

  static final MediaType GZIP = MediaType.parseMediaType("application/gzip");
  static final MediaType ZSTD = MediaType.parseMediaType("application/zstd");
  static final MediaType SQL = MediaType.parseMediaType("application/sql");
  static final MediaType TAR = MediaType.parseMediaType("application/x-tar");

  private BackupMediaType() {}

  static MediaType of(BackupRecord backup) {
    if (backup.isEncrypted()) {
      return MediaType.APPLICATION_OCTET_STREAM;
    }
    return switch (backup.getCompression()) {
      case "gzip" -> GZIP;
      case "zstd" -> ZSTD;
      case "none" -> backup.getKind() == BackupKind.SOURCE ? TAR : SQL;
      // a format of a newer worker: still a download, described no further
      default -> MediaType.APPLICATION_OCTET_STREAM;
    };
  }
}
