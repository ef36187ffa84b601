package io.kanbu.backup.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Writes and parses the version-1 header, byte for byte as in {@code docs/backup-format.md}. */
final class HeaderCodec {

  static final byte[] MAGIC = {'K', 'N', 'B', 'K'};
  static final int VERSION = 1;
  static final int FIXED_PREFIX_BYTES = 7; // magic, version, header length
  static final int CHECKSUM_BYTES = 32;
  static final int MAX_HEADER_BYTES = 1024;
  static final int KDF_RAW_KEY = 0;
  static final int KDF_ARGON2ID = 1;
  static final int ARGON2_VERSION_13 = 0x13;
  static final int SALT_BYTES = 16;
  static final int WRAP_NONCE_BYTES = 12;
  static final int WRAPPED_KEY_BYTES = KeyDerivation.KEY_BYTES + 16;

  private HeaderCodec() {}

  /**
   * Builds a header. {@code wrap} receives the associated data (every header byte before the
   * wrapped key) and returns the wrapped data key (ciphertext and tag).
   */
  static EncryptionHeader encode(
      UUID backupId,
      String keyId,
      KeyDerivationSpec kdf,
      byte[] keyCheck,
      byte[] wrapNonce,
      UnaryOperator<byte[]> wrap) {
    byte[] keyIdBytes = keyId.getBytes(StandardCharsets.US_ASCII);
    int kdfBytes =
        switch (kdf) {
          case KeyDerivationSpec.RawKey raw -> 1;
          case KeyDerivationSpec.Argon2id argon -> 1 + 1 + 4 + 4 + 1 + 1 + SALT_BYTES;
        };
    int length =
        FIXED_PREFIX_BYTES
            + 16
            + 1
            + keyIdBytes.length
            + kdfBytes
            + 1
            + KeyDerivation.KEY_CHECK_BYTES
            + WRAP_NONCE_BYTES
            + 2
            + WRAPPED_KEY_BYTES
            + CHECKSUM_BYTES;
    ByteBuffer buffer = ByteBuffer.allocate(length);
    buffer.put(MAGIC).put((byte) VERSION).putShort((short) length);
    buffer.putLong(backupId.getMostSignificantBits()).putLong(backupId.getLeastSignificantBits());
    buffer.put((byte) keyIdBytes.length).put(keyIdBytes);
    switch (kdf) {
      case KeyDerivationSpec.RawKey raw -> buffer.put((byte) KDF_RAW_KEY);
      case KeyDerivationSpec.Argon2id argon -> {
        byte[] salt = argon.salt();
        buffer
            .put((byte) KDF_ARGON2ID)
            .put((byte) ARGON2_VERSION_13)
            .putInt(argon.parameters().memoryKib())
            .putInt(argon.parameters().iterations())
            .put((byte) argon.parameters().parallelism())
            .put((byte) salt.length)
            .put(salt);
      }
    }
    buffer.put((byte) EncryptionHeader.DATA_CIPHER_AES256_GCM_HKDF_1MB);
    buffer.put(keyCheck).put(wrapNonce).putShort((short) WRAPPED_KEY_BYTES);
    int authenticatedLength = buffer.position();
    byte[] wrapped = wrap.apply(Arrays.copyOf(buffer.array(), authenticatedLength));
    if (wrapped.length != WRAPPED_KEY_BYTES) {
      throw new IllegalStateException("wrapped key has " + wrapped.length + " bytes");
    }
    buffer.put(wrapped);
    buffer.put(sha256(buffer.array(), length - CHECKSUM_BYTES));
    return new EncryptionHeader(
        VERSION,
        backupId,
        keyId,
        kdf,
        EncryptionHeader.DATA_CIPHER_AES256_GCM_HKDF_1MB,
        keyCheck,
        wrapNonce,
        wrapped,
        buffer.array(),
        authenticatedLength);
  }

  /** Reads exactly one header from the stream, leaving it at the first byte after the header. */
  static EncryptionHeader read(InputStream in) throws IOException {
    byte[] prefix = in.readNBytes(FIXED_PREFIX_BYTES);
    if (prefix.length < MAGIC.length
        || !Arrays.equals(Arrays.copyOf(prefix, MAGIC.length), MAGIC)) {
      throw new NotAnEncryptedBackupException(
          prefix.length == 0
              ? "not a kanbu encrypted backup: the input is empty"
              : "not a kanbu encrypted backup: bad magic bytes (expected 'KNBK'); files written by"
                  + " the original Kanbu have no header and need the legacy decryptor");
    }
    if (prefix.length < FIXED_PREFIX_BYTES) {
      throw new HeaderCorruptedException(
          "header truncated: the input ends after " + prefix.length + " bytes");
    }
    int length = ((prefix[5] & 0xFF) << 8) | (prefix[6] & 0xFF);
    if (length < FIXED_PREFIX_BYTES + CHECKSUM_BYTES || length > MAX_HEADER_BYTES) {
      throw new HeaderCorruptedException(
          "header corrupted: header length " + length + " is out of range");
    }
    byte[] rest = in.readNBytes(length - FIXED_PREFIX_BYTES);
    if (rest.length < length - FIXED_PREFIX_BYTES) {
      throw new HeaderCorruptedException(
          "header truncated: the input ends after "
              + (FIXED_PREFIX_BYTES + rest.length)
              + " of "
              + length
              + " header bytes");
    }
    byte[] encoded = new byte[length];
    System.arraycopy(prefix, 0, encoded, 0, FIXED_PREFIX_BYTES);
    System.arraycopy(rest, 0, encoded, FIXED_PREFIX_BYTES, rest.length);
    byte[] expected = Arrays.copyOfRange(encoded, length - CHECKSUM_BYTES, length);
    if (!MessageDigest.isEqual(expected, sha256(encoded, length - CHECKSUM_BYTES))) {
      throw new HeaderCorruptedException(
          "header corrupted: header checksum (SHA-256) mismatch; the first "
              + length
              + " bytes of the file were altered");
    }
    int version = encoded[4] & 0xFF;
    if (version != VERSION) {
      throw new UnsupportedFormatVersionException(
          "unsupported format version "
              + version
              + ": this build reads version "
              + VERSION
              + "; use a newer Kanbu Backup");
    }
    try {
      return parseVersion1(encoded);
    } catch (BufferUnderflowException e) {
      throw new HeaderCorruptedException("header malformed: fields overrun the header length");
    }
  }

  private static EncryptionHeader parseVersion1(byte[] encoded) throws HeaderCorruptedException {
    ByteBuffer buffer = ByteBuffer.wrap(encoded, 0, encoded.length - CHECKSUM_BYTES);
    buffer.position(FIXED_PREFIX_BYTES);
    UUID backupId = new UUID(buffer.getLong(), buffer.getLong());
    int keyIdLength = buffer.get() & 0xFF;
    byte[] keyIdBytes = new byte[keyIdLength];
    buffer.get(keyIdBytes);
    String keyId = new String(keyIdBytes, StandardCharsets.US_ASCII);
    if (!KeyringEntry.ID_PATTERN.matcher(keyId).matches()) {
      throw new HeaderCorruptedException("header malformed: invalid key id");
    }
    int kdfId = buffer.get() & 0xFF;
    KeyDerivationSpec kdf;
    if (kdfId == KDF_RAW_KEY) {
      kdf = new KeyDerivationSpec.RawKey();
    } else if (kdfId == KDF_ARGON2ID) {
      int argonVersion = buffer.get() & 0xFF;
      int memoryKib = buffer.getInt();
      int iterations = buffer.getInt();
      int parallelism = buffer.get() & 0xFF;
      int saltLength = buffer.get() & 0xFF;
      if (argonVersion != ARGON2_VERSION_13 || saltLength != SALT_BYTES) {
        throw new HeaderCorruptedException(
            "header malformed: argon2 version " + argonVersion + ", salt length " + saltLength);
      }
      byte[] salt = new byte[saltLength];
      buffer.get(salt);
      Argon2idParameters parameters;
      try {
        parameters = new Argon2idParameters(memoryKib, iterations, parallelism);
      } catch (IllegalArgumentException e) {
        throw new HeaderCorruptedException("header malformed: " + e.getMessage());
      }
      kdf = new KeyDerivationSpec.Argon2id(parameters, salt);
    } else {
      throw new HeaderCorruptedException("header malformed: unknown KDF id " + kdfId);
    }
    int dataCipher = buffer.get() & 0xFF;
    if (dataCipher != EncryptionHeader.DATA_CIPHER_AES256_GCM_HKDF_1MB) {
      throw new HeaderCorruptedException("header malformed: unknown data cipher id " + dataCipher);
    }
    byte[] keyCheck = new byte[KeyDerivation.KEY_CHECK_BYTES];
    buffer.get(keyCheck);
    byte[] nonce = new byte[WRAP_NONCE_BYTES];
    buffer.get(nonce);
    int wrappedLength = buffer.getShort() & 0xFFFF;
    if (wrappedLength != WRAPPED_KEY_BYTES) {
      throw new HeaderCorruptedException(
          "header malformed: wrapped key length " + wrappedLength + ", expected 48");
    }
    int authenticatedLength = buffer.position();
    byte[] wrapped = new byte[wrappedLength];
    buffer.get(wrapped);
    if (buffer.hasRemaining()) {
      throw new HeaderCorruptedException(
          "header malformed: " + buffer.remaining() + " unexpected bytes before the checksum");
    }
    return new EncryptionHeader(
        VERSION,
        backupId,
        keyId,
        kdf,
        dataCipher,
        keyCheck,
        nonce,
        wrapped,
        encoded,
        authenticatedLength);
  }

  static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(data, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
