package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Compresses in the chosen {@link Compression}: gzip (RFC 1952, readable by {@code gunzip}, see
 * {@link ParallelGzipOutputStream}), zstd (readable by {@code zstd -d}) or not at all.
 */
public final class CompressStage implements PipelineStage {

  private final Compression compression;

  public CompressStage(Compression compression) {
    this.compression = compression;
  }

  public Compression compression() {
    return compression;
  }

  @Override
  public OutputStream wrap(OutputStream next) throws IOException {
    return compression.format().compress(next, compression.level(), compression.threads());
  }
}
