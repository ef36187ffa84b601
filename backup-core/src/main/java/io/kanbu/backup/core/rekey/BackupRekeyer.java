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

/**
 * Rewrites one encrypted backup with its data key wrapped under the primary key of the keyring:
 * reads the old header, re-wraps the data key ({@link EnvelopeEncryption#rewrapHeader}), writes the
 * new header and copies the data bytes unchanged, in one streaming pass with constant memory. While
 * copying it hashes both the old and the new stored bytes, so a caller can check the input against
 * its manifest (a damaged object must not get a fresh, matching digest) and then write the manifest
 * that describes the output ({@link #rekeyedManifest}).
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
    long data = 0;
    byte[] buffer = new byte[BUFFER];
    int n;
    while ((n = source.read(buffer)) >= 0) {
      oldDigest.update(buffer, 0, n);
      newDigest.update(buffer, 0, n);
      sink.write(buffer, 0, n);
      data += n;
    }
    return new Rekeyed(
        old.backupId(),
        old.keyId(),
        header.keyId(),
        old.length() + data,
        HexFormat.of().formatHex(oldDigest.digest()),
        header.length() + data,
        HexFormat.of().formatHex(newDigest.digest()));
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
    if (manifest.sizes().stored() != rekeyed.oldStoredBytes()
        || !manifest.sha256Stored().equals(rekeyed.oldSha256Stored())) {
      throw new VerificationFailedException(
          VerificationCheck.STORED_SHA256,
          "the object of manifest '"
              + name
              + "' has "
              + rekeyed.oldStoredBytes()
              + " bytes hashing to "
              + rekeyed.oldSha256Stored()
              + " but the manifest records "
              + manifest.sizes().stored()
              + " bytes hashing to "
              + manifest.sha256Stored()
              + "; the object is damaged or truncated, it was not rekeyed");
    }
    return manifest.rekeyed(rekeyed.newKeyId(), rekeyed.storedBytes(), rekeyed.sha256Stored());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
