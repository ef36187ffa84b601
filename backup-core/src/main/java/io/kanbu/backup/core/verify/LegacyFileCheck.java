package io.kanbu.backup.core.verify;

import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file of the original Kanbu to its end in one pass, constant memory, and measures it: the
 * SHA-256 and size of the stored bytes, then (decrypting when it is a {@code .enc}: the GCM tag at
 * its end authenticates all of it) the SHA-256 and size of the compressed plaintext, while a second
 * thread decompresses it to the end. Such files carry no recorded digest, so this is what an import
 * records and what a later verification compares with.
 */
public final class LegacyFileCheck {

  private static final int PIPE_BYTES = 1 << 16;

  private LegacyFileCheck() {}

  /**
   * What the file holds.
   *
   * @param storedBytes size of the file
   * @param sha256Stored SHA-256 of the file
   * @param compressedBytes size of the compressed plaintext (the file itself when not encrypted)
   * @param sha256 SHA-256 of the compressed plaintext
   * @param rawBytes size of the SQL (or tar) after decompression
   */
  public record Result(
      long storedBytes, String sha256Stored, long compressedBytes, String sha256, long rawBytes) {}

  /**
   * @param stored the file's bytes; not closed
   * @param decryptor the original's decryption with the operator's key, or null for a plain {@code
   *     .sql.gz}
   * @param format the compression the file name says
   * @throws IOException when the file is damaged, truncated, not in {@code format} (a {@link
   *     io.kanbu.backup.core.pipeline.DamagedCompressedStreamException}), or the key is wrong (a
   *     {@link io.kanbu.backup.core.crypto.LegacyAuthenticationException})
   */
  public static Result run(
      InputStream stored, @Nullable LegacyKanbuDecryptor decryptor, CompressionFormat format)
      throws IOException {
    MessageDigest storedDigest = sha256();
    MessageDigest plainDigest = sha256();
    ExecutorService decompression = Executors.newSingleThreadExecutor();
    try (PipedInputStream pipeIn = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn)) {
      Future<Long> raw = decompression.submit(() -> decompressToEnd(pipeIn, format));
      long compressed;
      DigestInputStream in = new DigestInputStream(stored, storedDigest);
      try (OutputStream sink = new DigestOutputStream(pipeOut, plainDigest)) {
        compressed = decryptor == null ? in.transferTo(sink) : decryptor.decrypt(in, sink);
      } catch (IOException e) {
        raw.cancel(true);
        throw e;
      }
      long storedBytes = decryptor == null ? compressed : compressed + 32; // 16-byte IV + tag
      try {
        return new Result(storedBytes, hex(storedDigest), compressed, hex(plainDigest), raw.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException("decompression failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the " + format.id() + " stream", e);
      }
    } finally {
      decompression.shutdownNow();
    }
  }

  private static long decompressToEnd(InputStream compressed, CompressionFormat format)
      throws IOException {
    long raw = 0;
    byte[] buffer = new byte[PIPE_BYTES];
    InputStream unclosed =
        new FilterInputStream(compressed) {
          @Override
          public void close() {}
        };
    try (InputStream plaintext = format.decompress(unclosed)) {
      int n;
      while ((n = plaintext.read(buffer)) >= 0) {
        raw += n;
      }
    } finally {
      // keep the writer going to the end (and to its tag check) whatever happened here
      try {
        compressed.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the writer failed first; its exception is the one reported
      }
    }
    return raw;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
