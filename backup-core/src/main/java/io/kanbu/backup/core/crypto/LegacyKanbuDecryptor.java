package io.kanbu.backup.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Decrypts, streaming, the {@code .enc} files written by the original Kanbu: {@code [16-byte
 * IV][AES-256-GCM ciphertext][16-byte tag]}, no header, no associated data. The key is the
 * configured secret itself when it is 64 hex characters, otherwise PBKDF2-HMAC-SHA256(secret as
 * UTF-8, salt "kanbu-backup-encryption-salt-v1", 100 000 iterations, 32 bytes).
 *
 * <p><b>GCM authenticates only at the end.</b> Plaintext is written to the sink as it is decrypted
 * and is <em>unauthenticated</em> until {@link #decrypt} returns normally; if it throws {@link
 * LegacyAuthenticationException}, everything already written must be discarded. Callers therefore
 * write to a place nothing else reads (a digest, a temporary object, a restore that runs in one
 * transaction they can roll back) and declare success only after the return. Memory use is constant
 * (one 64 KiB buffer and the 16 bytes BouncyCastle holds back as the tag).
 */
public final class LegacyKanbuDecryptor {

  static final int IV_BYTES = 16;
  static final int TAG_BYTES = 16;
  static final int PBKDF2_ITERATIONS = 100_000;
  static final byte[] PBKDF2_SALT =
      "kanbu-backup-encryption-salt-v1".getBytes(StandardCharsets.US_ASCII);

  private final String keyId;
  private final byte[] key;

  /** Derives the legacy key from a keyring entry (the original used one secret for all files). */
  public LegacyKanbuDecryptor(KeyringEntry entry) {
    this.keyId = entry.id();
    byte[] secret = entry.secretBytes();
    try {
      this.key = entry.isRawKey() ? secret.clone() : pbkdf2(secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Uses the primary key of the keyring, i.e. {@code BACKUP_ENCRYPTION_KEY}. */
  public static LegacyKanbuDecryptor withPrimaryKey(Keyring keyring) throws DecryptionException {
    return new LegacyKanbuDecryptor(
        keyring
            .primary()
            .orElseThrow(
                () ->
                    new NoKeyConfiguredException(
                        "no encryption key configured: legacy backups need the original "
                            + Keyring.ENV_KEY)));
  }

  /**
   * Decrypts {@code source} to {@code untrustedSink}, returning only after the GCM tag verified.
   * Neither stream is closed.
   *
   * @return the number of plaintext bytes written, all of them now authenticated
   * @throws LegacyAuthenticationException if the tag does not verify (wrong key, corrupted or
   *     truncated file): discard what the sink received
   * @throws IOException if reading or writing fails
   */
  public long decrypt(InputStream source, OutputStream untrustedSink) throws IOException {
    byte[] iv = source.readNBytes(IV_BYTES);
    if (iv.length < IV_BYTES) {
      throw new LegacyAuthenticationException(
          "legacy file too short: " + iv.length + " bytes, not even the 16-byte IV");
    }
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(false, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, iv));
    byte[] in = new byte[64 * 1024];
    byte[] out = new byte[in.length + 2 * TAG_BYTES];
    long written = 0;
    long read = 0;
    int n;
    while ((n = source.read(in)) != -1) {
      read += n;
      int produced = cipher.processBytes(in, 0, n, out, 0);
      untrustedSink.write(out, 0, produced);
      written += produced;
    }
    if (read < TAG_BYTES) {
      throw new LegacyAuthenticationException(
          "legacy file too short: " + (IV_BYTES + read) + " bytes, no room for the 16-byte tag");
    }
    try {
      int produced = cipher.doFinal(out, 0);
      untrustedSink.write(out, 0, produced);
      written += produced;
    } catch (InvalidCipherTextException e) {
      throw new LegacyAuthenticationException(
          "legacy file authentication failed (GCM tag mismatch): wrong key '"
              + keyId
              + "', or the file is corrupted or truncated; discard the "
              + written
              + " bytes already written");
    }
    return written;
  }

  private static byte[] pbkdf2(byte[] passphrase) {
    PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
    generator.init(passphrase, PBKDF2_SALT, PBKDF2_ITERATIONS);
    return ((KeyParameter) generator.generateDerivedParameters(256)).getKey();
  }

  @Override
  public String toString() {
    return "LegacyKanbuDecryptor[keyId=" + keyId + "]";
  }
}
