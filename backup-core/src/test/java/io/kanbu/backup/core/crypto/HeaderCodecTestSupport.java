package io.kanbu.backup.core.crypto;

/** Header lengths per docs/backup-format.md, computed independently of HeaderCodec. */
final class HeaderCodecTestSupport {

  private HeaderCodecTestSupport() {}

  /**
   * magic 4, version 1, length 2, backup id 16, key id 1+L, KDF 1, cipher 1, check 16, nonce 12,
   * wrapped length 2, wrapped key 48, checksum 32.
   */
  static int rawKeyHeaderLength(String keyId) {
    return 4 + 1 + 2 + 16 + 1 + keyId.length() + 1 + 1 + 16 + 12 + 2 + 48 + 32;
  }

  /** As above with the Argon2id block: id 1, version 1, m 4, t 4, p 1, salt length 1, salt 16. */
  static int argon2idHeaderLength(String keyId) {
    return rawKeyHeaderLength(keyId) + 27;
  }
}
