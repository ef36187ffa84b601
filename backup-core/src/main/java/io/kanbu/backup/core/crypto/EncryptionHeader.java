package io.kanbu.backup.core.crypto;

import java.util.HexFormat;
import java.util.UUID;

/**
 * The parsed header of an encrypted backup (format in {@code docs/backup-format.md}). Reading it
 * needs no key, so it serves inspection ({@code inspect FILE}) and tells a reader which key to look
 * for. It contains no secret: the data key in it is wrapped.
 */
public final class EncryptionHeader {

  /** The data cipher id of Tink AES256_GCM_HKDF_1MB streaming (the only one in version 1). */
  public static final int DATA_CIPHER_AES256_GCM_HKDF_1MB = 1;

  private final int formatVersion;
  private final UUID backupId;
  private final String keyId;
  private final KeyDerivationSpec keyDerivation;
  private final int dataCipher;
  private final byte[] keyCheck;
  private final byte[] wrapNonce;
  private final byte[] wrappedDataKey;
  private final byte[] encoded;
  private final int authenticatedLength;

  EncryptionHeader(
      int formatVersion,
      UUID backupId,
      String keyId,
      KeyDerivationSpec keyDerivation,
      int dataCipher,
      byte[] keyCheck,
      byte[] wrapNonce,
      byte[] wrappedDataKey,
      byte[] encoded,
      int authenticatedLength) {
    this.formatVersion = formatVersion;
    this.backupId = backupId;
    this.keyId = keyId;
    this.keyDerivation = keyDerivation;
    this.dataCipher = dataCipher;
    this.keyCheck = keyCheck.clone();
    this.wrapNonce = wrapNonce.clone();
    this.wrappedDataKey = wrappedDataKey.clone();
    this.encoded = encoded.clone();
    this.authenticatedLength = authenticatedLength;
  }

  public int formatVersion() {
    return formatVersion;
  }

  /** The backup id the data is bound to (it is the data's associated data). */
  public UUID backupId() {
    return backupId;
  }

  /** The id of the keyring entry whose key-encryption key wrapped the data key. */
  public String keyId() {
    return keyId;
  }

  public KeyDerivationSpec keyDerivation() {
    return keyDerivation;
  }

  /** The data cipher id; {@link #DATA_CIPHER_AES256_GCM_HKDF_1MB} in format version 1. */
  public int dataCipher() {
    return dataCipher;
  }

  /** A human-readable name of the data cipher, for manifests and {@code inspect}. */
  public String dataCipherName() {
    return dataCipher == DATA_CIPHER_AES256_GCM_HKDF_1MB
        ? "AES256_GCM_HKDF_1MB"
        : "unknown(" + dataCipher + ")";
  }

  /** The total header length in bytes; the Tink ciphertext stream starts at this offset. */
  public int length() {
    return encoded.length;
  }

  /** The header bytes exactly as stored. */
  public byte[] encoded() {
    return encoded.clone();
  }

  byte[] keyCheck() {
    return keyCheck.clone();
  }

  byte[] wrapNonce() {
    return wrapNonce.clone();
  }

  byte[] wrappedDataKey() {
    return wrappedDataKey.clone();
  }

  /** Header bytes [0, authenticatedLength) are the associated data of the key wrap. */
  byte[] wrapAssociatedData() {
    return java.util.Arrays.copyOf(encoded, authenticatedLength);
  }

  @Override
  public String toString() {
    return "EncryptionHeader[version="
        + formatVersion
        + ", backupId="
        + backupId
        + ", keyId="
        + keyId
        + ", kdf="
        + keyDerivation
        + ", dataCipher="
        + dataCipherName()
        + ", keyCheck="
        + HexFormat.of().formatHex(keyCheck)
        + ", length="
        + encoded.length
        + "]";
  }
}
