package io.kanbu.backup.core.verify;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.pipeline.CountingInputStream;
import io.kanbu.backup.core.pipeline.DamagedCompressedStreamException;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a stored backup in one streaming pass, constant memory: reads the object once, hashing
 * the stored bytes, decrypting (when encrypted), hashing the compressed plaintext and decompressing
 * the whole stream (gzip, zstd, or none); then compares sizes and digests with the catalog and the
 * manifest. Success is declared only after the object was read to its end. A failure throws {@link
 * VerificationFailedException} naming the check; when the stored bytes' digest is wrong, that is
 * the reported check even if decryption failed first (it says the object itself is damaged, which
 * needs no key to establish).
 */
public final class BackupVerifier {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();
  private static final int BUFFER = 1 << 16;
  private static final int MAX_MANIFEST_BYTES = 4 << 20;

  private final EnvelopeEncryption encryption;

  /**
   * @param encryption holds the keys that may decrypt; may have an empty keyring
   */
  public BackupVerifier(EnvelopeEncryption encryption) {
    this.encryption = encryption;
  }

  /** What a successful verification read. */
  public record Verified(long storedBytes, long compressedBytes, long rawBytes, boolean manifest) {}

  /**
   * @throws VerificationFailedException naming the failed check
   * @throws TransientBackupException when storage could not be read for another reason than a
   *     missing object (retry)
   */
  public Verified verify(StorageBackend storage, ExpectedBackup expected) {
    return verify(storage, expected, VerificationListener.NONE);
  }

  /**
   * Like {@link #verify(StorageBackend, ExpectedBackup)}, telling {@code listener} about each check
   * as it passes. For an {@link ExpectedBackup#unrecorded} backup the digest checks report what
   * they computed and compare nothing.
   */
  public Verified verify(
      StorageBackend storage, ExpectedBackup expected, VerificationListener listener) {
    return verify(storage, expected, listener, PlaintextSink.DISCARD);
  }

  /**
   * Receives the decompressed plaintext (the SQL, the tar) while the backup is verified, e.g. to
   * extract it. What it did must be undone by the caller if the verification then fails: the
   * digests can only be compared once the whole object was read.
   */
  @FunctionalInterface
  public interface PlaintextSink {

    /** Reads nothing; the verifier reads the plaintext to its end. */
    PlaintextSink DISCARD = plaintext -> {};

    /**
     * @param plaintext the decompressed stream; need not be read to its end nor closed (the
     *     verifier does both)
     */
    void accept(InputStream plaintext) throws IOException;
  }

  /**
   * Like {@link #verify(StorageBackend, ExpectedBackup, VerificationListener)}, handing the
   * decompressed plaintext to {@code sink} as it streams. A failure of the stored bytes' digest is
   * reported as such even when the sink failed first on the damaged data (as for decryption).
   */
  public Verified verify(
      StorageBackend storage,
      ExpectedBackup expected,
      VerificationListener listener,
      PlaintextSink sink) {
    boolean hasManifest = expected.manifestKey() != null;
    if (hasManifest) {
      checkManifest(storage, expected, expected.manifestKey());
      listener.passed(
          VerificationCheck.MANIFEST,
          "'" + expected.manifestKey() + "': self-checksum matches, agrees with the catalog");
    }
    DigestingInputStream stored;
    try {
      stored = new DigestingInputStream(storage.open(expected.objectKey()));
    } catch (ObjectNotFoundException e) {
      throw new VerificationFailedException(
          VerificationCheck.OBJECT,
          "object '" + expected.objectKey() + "' is missing in storage '" + storage.name() + "'");
    }
    listener.passed(VerificationCheck.OBJECT, "'" + expected.objectKey() + "' is readable");
    try (stored) {
      DigestingInputStream compressed = null;
      long raw;
      try {
        InputStream plaintext =
            expected.encrypted() ? encryption.decrypt(stored, expected.backupId()) : stored;
        compressed = new DigestingInputStream(plaintext);
        raw = decompressToEnd(compressed, expected.compression(), sink);
        // the decompressor may stop at its last trailer: anything after it is still part of the
        // compressed stream (and would break its digest), and the stored stream must end too
        compressed.transferTo(OutputStream.nullOutputStream());
        stored.transferTo(OutputStream.nullOutputStream());
      } catch (DecryptionException e) {
        drainQuietly(stored);
        checkStored(storage, expected, stored, e);
        listener.passed(VerificationCheck.STORED_SHA256, observed(expected, stored));
        throw new VerificationFailedException(
            VerificationCheck.DECRYPTION,
            e.getMessage() + " (backup '" + expected.backupId() + "')",
            e);
      } catch (DamagedCompressedStreamException e) {
        drainQuietly(stored);
        checkStored(storage, expected, stored, e);
        listener.passed(VerificationCheck.STORED_SHA256, observed(expected, stored));
        throw new VerificationFailedException(
            VerificationCheck.DECOMPRESSION,
            "the "
                + expected.compression().id()
                + " stream of '"
                + expected.objectKey()
                + "' is damaged or truncated: "
                + e.getCause().getMessage(),
            e);
      } catch (BackupException e) {
        // from the sink, e.g. an archive entry refused by an extractor: damaged data shows as such
        if (drainQuietly(stored)) {
          checkStored(storage, expected, stored, e);
        }
        throw e;
      } catch (IOException e) {
        if (drainQuietly(stored)) {
          checkStored(storage, expected, stored, e);
        }
        throw new TransientBackupException(
            "unable to read backup '"
                + expected.objectKey()
                + "' from storage '"
                + storage.name()
                + "': "
                + e.getMessage()
                + "; retry the verification",
            e);
      }
      checkStored(storage, expected, stored, null);
      listener.passed(VerificationCheck.STORED_SHA256, observed(expected, stored));
      if (expected.encrypted()) {
        listener.passed(VerificationCheck.DECRYPTION, "every segment authenticated");
      }
      if (expected.recorded()
          && (!compressed.hex().equals(expected.sha256())
              || compressed.count() != expected.compressedSize())) {
        throw new VerificationFailedException(
            VerificationCheck.PLAINTEXT_SHA256,
            "the compressed plaintext of '"
                + expected.objectKey()
                + "' hashes to "
                + compressed.hex()
                + " ("
                + compressed.count()
                + " bytes) but the catalog records "
                + expected.sha256()
                + " ("
                + expected.compressedSize()
                + " bytes)");
      }
      listener.passed(VerificationCheck.PLAINTEXT_SHA256, observed(expected, compressed));
      if (expected.recorded() && raw != expected.rawSize()) {
        throw new VerificationFailedException(
            VerificationCheck.DECOMPRESSION,
            "'"
                + expected.objectKey()
                + "' decompresses to "
                + raw
                + " bytes but the catalog records "
                + expected.rawSize());
      }
      listener.passed(
          VerificationCheck.DECOMPRESSION,
          expected.compression() == CompressionFormat.NONE
              ? "not compressed, " + raw + " bytes"
              : expected.compression().id() + " stream complete, " + raw + " bytes uncompressed");
      return new Verified(stored.count(), compressed.count(), raw, hasManifest);
    } catch (IOException e) {
      // from closing the stream after a complete read: the result stands
      throw new TransientBackupException(
          "unable to close backup '" + expected.objectKey() + "': " + e.getMessage(), e);
    }
  }

  private static String observed(ExpectedBackup expected, DigestingInputStream stream) {
    return stream.count()
        + " bytes, sha256 "
        + stream.hex()
        + (expected.recorded() ? " as recorded" : " (nothing recorded to compare with)");
  }

  private static long decompressToEnd(
      InputStream compressed, CompressionFormat format, PlaintextSink sink) throws IOException {
    InputStream unclosed =
        new FilterInputStream(compressed) {
          @Override
          public void close() {}
        };
    try (CountingInputStream plaintext = new CountingInputStream(format.decompress(unclosed))) {
      sink.accept(
          new FilterInputStream(plaintext) {
            @Override
            public void close() {}
          });
      plaintext.transferTo(OutputStream.nullOutputStream());
      return plaintext.count();
    }
  }

  private static void checkStored(
      StorageBackend storage,
      ExpectedBackup expected,
      DigestingInputStream stored,
      @Nullable Exception readError) {
    if (expected.recorded()
        && (stored.count() != expected.storedSize()
            || !stored.hex().equals(expected.sha256Stored()))) {
      throw new VerificationFailedException(
          VerificationCheck.STORED_SHA256,
          "object '"
              + expected.objectKey()
              + "' in storage '"
              + storage.name()
              + "' has "
              + stored.count()
              + " bytes hashing to "
              + stored.hex()
              + " but the catalog records "
              + expected.storedSize()
              + " bytes hashing to "
              + expected.sha256Stored()
              + "; the object is damaged or truncated"
              + (readError == null
                  ? ""
                  : " (reading it also failed: " + readError.getMessage() + ")"),
          readError);
    }
  }

  private static void checkManifest(StorageBackend storage, ExpectedBackup expected, String key) {
    byte[] bytes;
    try (InputStream in = storage.open(key)) {
      bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    } catch (ObjectNotFoundException e) {
      throw new VerificationFailedException(
          VerificationCheck.MANIFEST,
          "manifest '" + key + "' is missing in storage '" + storage.name() + "'");
    } catch (IOException e) {
      throw new TransientBackupException(
          "unable to read manifest '" + key + "': " + e.getMessage() + "; retry", e);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new VerificationFailedException(
          VerificationCheck.MANIFEST, "manifest '" + key + "' is larger than 4 MiB");
    }
    BackupManifest manifest;
    try {
      manifest = MANIFESTS.decode(bytes, key);
    } catch (BackupException e) {
      throw new VerificationFailedException(VerificationCheck.MANIFEST, e.getMessage(), e);
    }
    List<String> differences = new ArrayList<>();
    compare(differences, "backupId", manifest.backupId(), expected.backupId());
    compare(differences, "sha256", manifest.sha256(), expected.sha256());
    compare(differences, "sha256Stored", manifest.sha256Stored(), expected.sha256Stored());
    compare(differences, "sizes.raw", manifest.sizes().raw(), expected.rawSize());
    compare(
        differences, "sizes.compressed", manifest.sizes().compressed(), expected.compressedSize());
    compare(differences, "sizes.stored", manifest.sizes().stored(), expected.storedSize());
    compare(differences, "encrypted", manifest.encryption() != null, expected.encrypted());
    if (!differences.isEmpty()) {
      throw new VerificationFailedException(
          VerificationCheck.MANIFEST,
          "manifest '" + key + "' disagrees with the catalog: " + String.join(", ", differences));
    }
  }

  private static void compare(
      List<String> out, String field, Object manifest, @Nullable Object catalog) {
    if (!manifest.equals(catalog)) {
      out.add(field + " is " + manifest + " in the manifest but " + catalog + " in the catalog");
    }
  }

  /** Reads the rest of the stream; false if that failed (storage unreadable). */
  private static boolean drainQuietly(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Counts and hashes what passes through. */
  private static final class DigestingInputStream extends CountingInputStream {
    private final MessageDigest digest;

    DigestingInputStream(InputStream in) {
      super(in);
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // every byte must be hashed
      byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
      int read = read(buffer, 0, (int) Math.min(buffer.length, n));
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private @Nullable String hex;

    String hex() {
      if (hex == null) {
        hex = HexFormat.of().formatHex(digest.digest());
      }
      return hex;
    }
  }
}
