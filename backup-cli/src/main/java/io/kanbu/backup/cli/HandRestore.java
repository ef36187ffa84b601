package io.kanbu.backup.cli;

import io.kanbu.backup.core.pipeline.CompressionFormat;

/** The stock command that reads a plaintext backup by hand, for messages that suggest one. */
final class HandRestore {

  private HandRestore() {}

  /** {@code gunzip -c }, {@code zstd -dc } or {@code cat }: the file name follows. */
  static String reader(CompressionFormat compression) {
    return switch (compression) {
      case GZIP -> "gunzip -c ";
      case ZSTD -> "zstd -dc ";
      case NONE -> "cat ";
    };
  }
}
