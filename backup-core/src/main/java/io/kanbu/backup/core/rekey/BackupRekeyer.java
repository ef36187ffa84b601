package io.kanbu.backup.core.rekey;

import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.verify.VerificationCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites one encrypted backup with its data key wrapped under the primary key of the keyring:
 * reads the old header, re-wraps the data key ({@link EnvelopeEncryption#rewrapHeader}), writes the
 * new header and copies the data bytes unchanged, in one streaming pass with constant memory. While
 * copying it hashes both the old and the new stored bytes, so a caller can check the input against
 * its manifest (a damaged object must not get a fresh, matching digest) and then write the manifest
 * that describes the output ({@link #rekeyedManifest}). {@link #repair} finishes a rekey that was
 * interrupted between rewriting the object and rewriting its manifest.
 *
 * <p>Used by the {@code REKEY} job and the offline CLI's {@code rekey}. Thread-safe.
 */
public final class BackupRekeyer {

  private static final int BUFFER = 1 << 16;

  private final EnvelopeEncryption encryption;

  /**
   * @param encryption its keyring has the new primary key and the key that wrapped the backup
   */
  public BackupRekeyer(EnvelopeEncryption encryption) {
    this.encryption = encryption;
  }

  /**
   * What a rekey read and wrote.
   *
   * @param backupId the backup id in the header (unchanged)
   * @param oldKeyId the key id the input was wrapped with
   * @param newKeyId the primary key's id, now in the output's header
   * @param oldStoredBytes size of the input
   * @param oldSha256Stored SHA-256 (hex) of the input
   * @param storedBytes size of the output
   * @param sha256Stored SHA-256 (hex) of the output
   */
  public record Rekeyed(
      UUID backupId,
      String oldKeyId,
      String newKeyId,
      long oldStoredBytes,
      String oldSha256Stored,
      long storedBytes,
      String sha256Stored) {}

  /**
   * Reads an encrypted backup from {@code source} (from its first byte to its end) and writes it to
   * {@code sink} re-keyed. Neither stream is closed. If it throws, {@code sink} holds partial data
   * that the caller discards.
   *
   * @throws DecryptionException if the header is not valid or cannot be unwrapped with this keyring
   *     (naming the check, e.g. unknown key id, wrong key)
   * @throws IllegalStateException if the keyring has no primary key
   */
  public Rekeyed rekey(InputStream source, OutputStream sink) throws IOException {
    EncryptionHeader old = EnvelopeEncryption.readHeader(source);
    EncryptionHeader header = encryption.rewrapHeader(old);
    MessageDigest oldDigest = sha256();
    MessageDigest newDigest = sha256();
    oldDigest.update(old.encoded());
    byte[] newHeader = header.encoded();
    newDigest.update(newHeader);
    sink.write(newHeader);
    long data = copy(source, sink, oldDigest, newDigest);
    return new Rekeyed(
        old.backupId(),
        old.keyId(),
        header.keyId(),
        old.length() + data,
        HexFormat.of().formatHex(oldDigest.digest()),
        header.length() + data,
        HexFormat.of().formatHex(newDigest.digest()));
  }

  /**
   * What a rekey checked against a manifest wrote.
   *
   * @param rekeyed the sizes and digests read and written
   * @param manifest the manifest that describes the output ({@link #rekeyedManifest}), or null if
   *     the backup has none
   */
  public record Rewritten(Rekeyed rekeyed, @Nullable BackupManifest manifest) {}

  /**
   * {@link #rekey(InputStream, OutputStream)}, then, if the backup has a manifest, the check that
   * the input was the object it records and the manifest of the output ({@link #rekeyedManifest}).
   * The check runs after the last byte and throws on a mismatch, so a caller that writes {@code
   * sink} to a temporary object (a storage replace, a temporary file) discards the output and keeps
   * the original: a damaged object is never rewritten.
   *
   * @param manifest the backup's manifest, or null if it has none (nothing to check)
   * @param manifestName its name or key, for messages
   * @throws VerificationFailedException if the input is not what the manifest records
   */
  public Rewritten rekey(
      InputStream source, OutputStream sink, @Nullable BackupManifest manifest, String manifestName)
      throws IOException {
    Rekeyed rekeyed = rekey(source, sink);
    return new Rewritten(
        rekeyed, manifest == null ? null : rekeyedManifest(manifest, rekeyed, manifestName));
  }

  /**
   * What {@link #repair} found.
   *
   * @param manifest the manifest that describes the object now
   * @param manifestChanged true if it differs from the stored manifest (which must be replaced)
   * @param storedBytes size of the object
   * @param sha256Stored SHA-256 (hex) of the object
   */
  public record Repaired(
      BackupManifest manifest, boolean manifestChanged, long storedBytes, String sha256Stored) {}

  /**
   * Finishes a rekey that was interrupted after the object was rewritten but before its manifest
   * (or the catalog) was: {@code object} is already wrapped by the primary key. Reads it once,
   * hashing it, after checking its header (backup id of the manifest, primary key's id, and that
   * the primary key opens it) and its length: the new header plus the ciphertext length of the
   * manifest's compressed size, i.e. the same data bytes.
   *
   * <p>If the manifest still names the old key, the result is the manifest of the rewritten object
   * (new key id, stored size and SHA-256); if it already names the primary key, the object must
   * match it, and the result is that manifest.
   *
   * @param manifestName the manifest's name or key, for messages
   * @throws DecryptionException if the header is not valid or the primary key does not open it
   * @throws VerificationFailedException if the object is not the one the manifest describes
   */
  public Repaired repair(InputStream object, BackupManifest manifest, String manifestName)
      throws IOException {
    EncryptionHeader header = EnvelopeEncryption.readHeader(object);
    BackupManifest.Encryption recorded = manifest.encryption();
    if (recorded == null || !header.backupId().equals(manifest.backupId())) {
      throw new VerificationFailedException(
          VerificationCheck.MANIFEST,
          "manifest '"
              + manifestName
              + "' records backup '"
              + manifest.backupId()
              + "' "
              + (recorded == null ? "unencrypted" : "encrypted")
              + " but the object is encrypted backup '"
              + header.backupId()
              + "'; not repaired");
    }
    if (!encryption.isWrappedByPrimary(header)) {
      throw new IllegalArgumentException(
          "the object of manifest '"
              + manifestName
              + "' is wrapped by key '"
              + header.keyId()
              + "', not by the primary key: rekey it instead");
    }
    encryption.checkUnwraps(header);
    MessageDigest digest = sha256();
    digest.update(header.encoded());
    long total = header.length() + copy(object, OutputStream.nullOutputStream(), digest);
    String sha256Stored = HexFormat.of().formatHex(digest.digest());
    if (recorded.keyId().equals(header.keyId())) {
      requireStored(manifest, total, sha256Stored, manifestName, "");
      return new Repaired(manifest, false, total, sha256Stored);
    }
    long expected =
        header.length() + EnvelopeEncryption.dataCiphertextBytes(manifest.sizes().compressed());
    if (total != expected) {
      throw new VerificationFailedException(
          VerificationCheck.STORED_SHA256,
          "the object of manifest '"
              + manifestName
              + "' has "
              + total
              + " bytes, but its header and the manifest's compressed size of "
              + manifest.sizes().compressed()
              + " bytes make "
              + expected
              + "; the object is damaged or truncated, its manifest was not repaired");
    }
    return new Repaired(
        manifest.rekeyed(header.keyId(), total, sha256Stored), true, total, sha256Stored);
  }

  /** True when the backup with this header is already wrapped by the primary key. */
  public boolean isWrappedByPrimary(EncryptionHeader header) {
    return encryption.isWrappedByPrimary(header);
  }

  /**
   * The manifest for the rekeyed object, after checking that the input was the object {@code
   * manifest} describes: same backup id, same key id, same size and SHA-256 of the stored bytes.
   *
   * @param name the manifest's name or key, for messages
   * @throws VerificationFailedException ({@link VerificationCheck#STORED_SHA256}) if the input's
   *     bytes differ from what the manifest records: the object is damaged, and a rekey would give
   *     it a new digest that hides the damage; ({@link VerificationCheck#MANIFEST}) if the manifest
   *     names another backup or key
   */
  public static BackupManifest rekeyedManifest(
      BackupManifest manifest, Rekeyed rekeyed, String name) {
    BackupManifest.Encryption encryption = manifest.encryption();
    if (encryption == null
        || !manifest.backupId().equals(rekeyed.backupId())
        || !encryption.keyId().equals(rekeyed.oldKeyId())) {
      throw new VerificationFailedException(
          VerificationCheck.MANIFEST,
          "manifest '"
              + name
              + "' does not describe the object that was rekeyed: it records backup '"
              + manifest.backupId()
              + "' "
              + (encryption == null ? "unencrypted" : "wrapped by key '" + encryption.keyId() + "'")
              + ", the object is backup '"
              + rekeyed.backupId()
              + "' wrapped by key '"
              + rekeyed.oldKeyId()
              + "'");
    }
    requireStored(
        manifest,
        rekeyed.oldStoredBytes(),
        rekeyed.oldSha256Stored(),
        name,
        ", it was not rekeyed");
    return manifest.rekeyed(rekeyed.newKeyId(), rekeyed.storedBytes(), rekeyed.sha256Stored());
  }

  /**
   * @throws VerificationFailedException ({@link VerificationCheck#STORED_SHA256}) unless the object
   *     has the size and SHA-256 the manifest records
   */
  private static void requireStored(
      BackupManifest manifest, long bytes, String sha256Stored, String name, String consequence) {
    if (manifest.sizes().stored() != bytes || !manifest.sha256Stored().equals(sha256Stored)) {
      throw new VerificationFailedException(
          VerificationCheck.STORED_SHA256,
          "the object of manifest '"
              + name
              + "' has "
              + bytes
              + " bytes hashing to "
              + sha256Stored
              + " but the manifest records "
              + manifest.sizes().stored()
              + " bytes hashing to "
              + manifest.sha256Stored()
              + "; the object is damaged or truncated"
              + consequence);
    }
  }

  /** Copies {@code source} to its end into {@code sink}, updating every digest; returns bytes. */
  private static long copy(InputStream source, OutputStream sink, MessageDigest... digests)
      throws IOException {
    long total = 0;
    byte[] buffer = new byte[BUFFER];
    int n;
    while ((n = source.read(buffer)) >= 0) {
      for (MessageDigest digest : digests) {
        digest.update(buffer, 0, n);
      }
      sink.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
