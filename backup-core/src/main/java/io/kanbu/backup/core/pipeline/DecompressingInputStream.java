package io.kanbu.backup.core.pipeline;

import io.kanbu.backup.core.crypto.FailureRecordingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decoder whose own failures become {@link DamagedCompressedStreamException}, while those of the
 * stream below it (storage, decryption) keep their types: the decoders throw both as plain {@link
 * IOException}s, so the source records what it threw.
 */
final class DecompressingInputStream extends FilterInputStream {

  private final CompressionFormat format;
  private final FailureRecordingInputStream source;
  private final CountingInputStream counted;

  private DecompressingInputStream(
      CompressionFormat format,
      InputStream decoder,
      FailureRecordingInputStream source,
      CountingInputStream counted) {
    super(decoder);
    this.format = format;
    this.source = source;
    this.counted = counted;
  }

  static InputStream open(CompressionFormat format, InputStream compressed) throws IOException {
    CountingInputStream counted = new CountingInputStream(compressed);
    FailureRecordingInputStream source = new FailureRecordingInputStream(counted);
    try {
      return new DecompressingInputStream(format, format.decoder(source), source, counted);
    } catch (IOException e) {
      throw translate(format, source, e);
    }
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw translate(format, source, e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      int n = super.read(b, off, len);
      if (n < 0 && counted.count() == 0) {
        // no compressed stream at all: zstd's decoder takes that for an empty input
        throw new DamagedCompressedStreamException(
            format, new IOException("the stream is empty (0 bytes)"));
      }
      return n;
    } catch (DamagedCompressedStreamException e) {
      throw e;
    } catch (IOException e) {
      throw translate(format, source, e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      throw translate(format, source, e);
    }
  }

  private static IOException translate(
      CompressionFormat format, FailureRecordingInputStream source, IOException e) {
    return source.failure() != null ? e : new DamagedCompressedStreamException(format, e);
  }
}
