package io.kanbu.backup.core.pipeline;

import java.io.IOException;

/**
 * The compressed stream of a backup does not decode: damaged (a bad block, a checksum that does not
 * match) or truncated. Not a storage or decryption failure, which keep their own types.
 */
public final class DamagedCompressedStreamException extends IOException {

  private final CompressionFormat format;

  DamagedCompressedStreamException(CompressionFormat format, IOException cause) {
    super(
        "the "
            + format.id()
            + " stream is damaged or truncated: "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
        cause);
    this.format = format;
  }

  public CompressionFormat format() {
    return format;
  }
}
