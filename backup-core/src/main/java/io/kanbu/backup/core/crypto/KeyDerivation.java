package io.kanbu.backup.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Key-encryption key derivation and the two sub-keys taken from it (see backup-format.md). */
final class KeyDerivation {

  static final int KEY_BYTES = 32;
  static final int KEY_CHECK_BYTES = 16;

  private static final byte[] KEY_CHECK_LABEL =
      "kanbu-backup v1 key check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_WRAP_LABEL =
      "kanbu-backup v1 key wrap".getBytes(StandardCharsets.US_ASCII);

  private KeyDerivation() {}

  /** The 32-byte key-encryption key of an entry under a header's derivation spec. */
  static byte[] keyEncryptionKey(KeyringEntry entry, KeyDerivationSpec spec) {
    byte[] secret = entry.secretBytes();
    try {
      return switch (spec) {
        case KeyDerivationSpec.RawKey raw -> secret.clone();
        case KeyDerivationSpec.Argon2id argon -> argon2id(secret, argon.parameters(), argon.salt());
      };
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  static byte[] argon2id(byte[] passphrase, Argon2idParameters parameters, byte[] salt) {
    Argon2Parameters bcParameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(parameters.memoryKib())
            .withIterations(parameters.iterations())
            .withParallelism(parameters.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(bcParameters);
    byte[] out = new byte[KEY_BYTES];
    generator.generateBytes(passphrase, out);
    bcParameters.clear();
    return out;
  }

  /** Key check value: HMAC-SHA256(KEK, "kanbu-backup v1 key check"), first 16 bytes. */
  static byte[] keyCheck(byte[] kek) {
    return Arrays.copyOf(hmac(kek, KEY_CHECK_LABEL), KEY_CHECK_BYTES);
  }

  /** Wrapping key: HMAC-SHA256(KEK, "kanbu-backup v1 key wrap"), all 32 bytes. */
  static byte[] wrappingKey(byte[] kek) {
    return hmac(kek, KEY_WRAP_LABEL);
  }

  static boolean keyCheckMatches(byte[] kek, byte[] expected) {
    byte[] actual = keyCheck(kek);
    return MessageDigest.isEqual(actual, expected);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
