package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of a stored backup, read in one pass: stored bytes (hashed) → decryption (our envelope,
 * or the original Kanbu's format) → compressed plaintext (hashed) → decompression (gzip, zstd or
 * none). {@link #finish()} reads every layer to its end and compares both digests; only after it
 * returned is the SQL known to be complete and intact, so a restore must not commit before.
 */
final class BackupPlaintext implements AutoCloseable {

  private static final int BUFFER = 1 << 16;
  private static final byte[] ENVELOPE_MAGIC = {'K', 'N', 'B', 'K'};

  private final StoredBackup backup;
  private final DigestInputStream stored;
  private final DigestInputStream compressed;
  private final InputStream sql;

  private BackupPlaintext(
      StoredBackup backup,
      DigestInputStream stored,
      DigestInputStream compressed,
      InputStream sql) {
    this.backup = backup;
    this.stored = stored;
    this.compressed = compressed;
    this.sql = sql;
  }

  /**
   * Opens the layers. Decryption headers are checked here (missing or wrong key, another backup's
   * file), before anything is applied.
   *
   * @param storedBytes the object as stored; closed by {@link #close()}
   * @throws IOException a {@link io.kanbu.backup.core.crypto.DecryptionException} naming the failed
   *     check, or a {@link io.kanbu.backup.core.pipeline.DamagedCompressedStreamException} if the
   *     plaintext is not in its format
   */
  static BackupPlaintext open(InputStream storedBytes, StoredBackup backup, Keyring keyring)
      throws IOException {
    DigestInputStream stored = new DigestInputStream(storedBytes, sha256());
    try {
      InputStream plaintext;
      if (backup.encrypted()) {
        BufferedInputStream peek = new BufferedInputStream(stored, BUFFER);
        peek.mark(ENVELOPE_MAGIC.length);
        byte[] magic = peek.readNBytes(ENVELOPE_MAGIC.length);
        peek.reset();
        plaintext =
            Arrays.equals(magic, ENVELOPE_MAGIC)
                ? new EnvelopeEncryption(keyring).decrypt(peek, backup.backupId())
                : new LegacyDecryptingInputStream(
                    peek, LegacyKanbuDecryptor.withPrimaryKey(keyring));
      } else {
        plaintext = stored;
      }
      // unencrypted, the stored bytes are the compressed plaintext: one digest serves both
      DigestInputStream compressed =
          plaintext == stored ? stored : new DigestInputStream(plaintext, sha256());
      InputStream sql = backup.compression().decompress(nonClosing(compressed));
      return new BackupPlaintext(backup, stored, compressed, sql);
    } catch (IOException | RuntimeException e) {
      stored.close();
      throw e;
    }
  }

  /** The SQL text; read it to its end, then call {@link #finish()}. */
  InputStream sql() {
    return sql;
  }

  /**
   * Reads what remains after the compressed stream's end (the envelope's last segment, the legacy
   * GCM tag) and compares the digests the caller knows.
   *
   * @throws IOException if a layer fails at its end (authentication, truncation)
   * @throws RestoreFailedException if a digest differs
   */
  void finish() throws IOException {
    sql.transferTo(OutputStream.nullOutputStream());
    compressed.transferTo(OutputStream.nullOutputStream());
    stored.transferTo(OutputStream.nullOutputStream());
    String storedDigest = HexFormat.of().formatHex(stored.getMessageDigest().digest());
    check("stored bytes", backup.sha256Stored(), storedDigest);
    check(
        "compressed plaintext",
        backup.sha256(),
        compressed == stored
            ? storedDigest
            : HexFormat.of().formatHex(compressed.getMessageDigest().digest()));
  }

  private void check(String what, @Nullable String expected, String actual) {
    if (expected != null && !expected.equals(actual)) {
      throw new RestoreFailedException(
          "the "
              + what
              + " of backup '"
              + backup.backupId()
              + "' ('"
              + backup.objectKey()
              + "') hash to "
              + actual
              + " but "
              + expected
              + " was recorded; the object changed or is damaged, nothing was committed",
          (Throwable) null);
    }
  }

  @Override
  public void close() throws IOException {
    // every layer: a legacy decryption thread blocked on its pipe ends only when the pipe closes
    try (stored;
        compressed;
        sql) {
      // closed in reverse order by the try
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The decompressor must not close the layer below, which {@link #finish()} still drains. */
  private static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }
}
