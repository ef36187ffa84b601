package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * Checks a legacy file of the original Kanbu in one pass, constant memory: decrypts it (the GCM tag
 * at its end authenticates all of it) while a second thread gunzips the plaintext to its end. The
 * core verifier does not read this format; the decryption is the core's {@link
 * LegacyKanbuDecryptor}.
 */
final class LegacyFileCheck {

  private static final int PIPE_BYTES = 1 << 16;

  private LegacyFileCheck() {}

  record Result(long compressedBytes, String sha256, long rawBytes) {}

  static Result run(LegacyKanbuDecryptor decryptor, Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    ExecutorService gunzip = Executors.newSingleThreadExecutor();
    try (PipedInputStream pipeIn = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn)) {
      Future<Long> raw = gunzip.submit(() -> gunzipToEnd(pipeIn));
      long compressed;
      try (InputStream in = Files.newInputStream(file);
          OutputStream sink = new DigestOutputStream(pipeOut, digest)) {
        compressed = decryptor.decrypt(in, sink);
      } catch (IOException e) {
        raw.cancel(true);
        throw e;
      }
      try {
        return new Result(compressed, HexFormat.of().formatHex(digest.digest()), raw.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException("gunzip failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the gzip stream", e);
      }
    } finally {
      gunzip.shutdownNow();
    }
  }

  private static long gunzipToEnd(InputStream compressed) throws IOException {
    long raw = 0;
    byte[] buffer = new byte[PIPE_BYTES];
    InputStream unclosed =
        new FilterInputStream(compressed) {
          @Override
          public void close() {}
        };
    try (GZIPInputStream gz = new GZIPInputStream(unclosed, PIPE_BYTES)) {
      int n;
      while ((n = gz.read(buffer)) >= 0) {
        raw += n;
      }
    } finally {
      // keep the decrypting writer going to the end (and to its tag check) whatever happened here
      try {
        compressed.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the writer failed first; its exception is the one reported
      }
    }
    return raw;
  }
}
