package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Compresses with gzip (RFC 1952, readable by {@code gunzip}) at a chosen level, 1 (fastest) to 9
 * (smallest), on several threads at once (see {@link ParallelGzipOutputStream}). Level 6 matches
 * {@code gzip}'s default.
 */
public final class GzipCompressStage implements PipelineStage {

  private final Compression compression;

  public GzipCompressStage(Compression compression) {
    this.compression = compression;
  }

  public Compression compression() {
    return compression;
  }

  @Override
  public OutputStream wrap(OutputStream next) throws IOException {
    return new ParallelGzipOutputStream(
        next,
        compression.level(),
        compression.threads(),
        ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE);
  }
}
