package io.kanbu.backup.core.crypto;

/**
 * How the key-encryption key of a backup is obtained from its keyring entry, as recorded in the
 * header.
 */
public sealed interface KeyDerivationSpec {

  /** The keyring entry is a raw 256-bit key, used as is (KDF id 0). */
  record RawKey() implements KeyDerivationSpec {}

  /**
   * The keyring entry is a passphrase stretched with Argon2id (KDF id 1).
   *
   * @param parameters the cost parameters
   * @param salt 16 random bytes
   */
  record Argon2id(Argon2idParameters parameters, byte[] salt) implements KeyDerivationSpec {

    public Argon2id {
      salt = salt.clone();
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Argon2id that
          && parameters.equals(that.parameters)
          && java.util.Arrays.equals(salt, that.salt);
    }

    @Override
    public int hashCode() {
      return 31 * parameters.hashCode() + java.util.Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
      return "Argon2id[" + parameters + ", salt=" + java.util.HexFormat.of().formatHex(salt) + "]";
    }
  }
}
