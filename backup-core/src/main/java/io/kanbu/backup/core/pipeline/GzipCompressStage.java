package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses with gzip (RFC 1952, readable by {@code gunzip}) at a chosen level, 1 (fastest) to 9
 * (smallest). Level 6 matches {@code gzip}'s default.
 */
public final class GzipCompressStage implements PipelineStage {

  private final int level;
  private final int bufferSize;

  public GzipCompressStage(int level) {
    this(level, BackupPipeline.DEFAULT_BUFFER_SIZE);
  }

  public GzipCompressStage(int level, int bufferSize) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level " + level + " is outside 1-9");
    }
    this.level = level;
    this.bufferSize = bufferSize;
  }

  public int level() {
    return level;
  }

  @Override
  public OutputStream wrap(OutputStream next) throws IOException {
    return new LeveledGzipOutputStream(next, bufferSize, level);
  }

  /** GZIPOutputStream offers no level; its protected Deflater does. */
  private static final class LeveledGzipOutputStream extends GZIPOutputStream {
    LeveledGzipOutputStream(OutputStream out, int size, int level) throws IOException {
      super(out, size);
      def.setLevel(level);
    }
  }
}
