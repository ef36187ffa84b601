package io.kanbu.backup.core.crypto;

import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_A;
import static io.kanbu.backup.core.crypto.CryptoFixtures.PASSPHRASE;
import static io.kanbu.backup.core.crypto.CryptoFixtures.encrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A second decryptor written only from {@code docs/backup-format.md}, with plain JCA (and
 * BouncyCastle for Argon2id) instead of Tink and without the production classes. If the document
 * and the code ever disagree, this test fails.
 */
class IndependentDecryptorTest {

  @ParameterizedTest(name = "{0} bytes, {1}")
  @CsvSource({"0, raw", "1048520, raw", "3145000, raw", "1000, passphrase", "2097100, passphrase"})
  void documentedFormat_isWhatTheCodeWrites(int size, String kind) throws Exception {
    UUID backupId = UUID.randomUUID();
    byte[] plaintext = randomBytes(size, size + 11);
    String secret = kind.equals("raw") ? HEX_KEY_A : PASSPHRASE;
    EnvelopeEncryption encryption =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("doc-key", secret)), new Argon2idParameters(1024, 2, 1));
    byte[] file = encrypt(encryption, backupId, plaintext);

    assertThat(decryptFromTheDocument(file, backupId, secret)).isEqualTo(plaintext);
  }

  // ---- Everything below follows docs/backup-format.md, section by section. ----

  private static byte[] decryptFromTheDocument(byte[] file, UUID expectedId, String secret)
      throws Exception {
    ByteBuffer in = ByteBuffer.wrap(file); // big-endian
    byte[] magic = new byte[4];
    in.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("KNBK");
    assertThat(in.get()).isEqualTo((byte) 1);
    int headerLength = Short.toUnsignedInt(in.getShort());
    byte[] checksum = Arrays.copyOfRange(file, headerLength - 32, headerLength);
    assertThat(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(file, headerLength - 32)))
        .isEqualTo(checksum);
    UUID backupId = new UUID(in.getLong(), in.getLong());
    assertThat(backupId).isEqualTo(expectedId);
    byte[] keyId = new byte[Byte.toUnsignedInt(in.get())];
    in.get(keyId);
    assertThat(new String(keyId, StandardCharsets.US_ASCII)).isEqualTo("doc-key");

    byte[] kek;
    int kdf = in.get();
    if (kdf == 0) {
      kek = HexFormat.of().parseHex(secret);
    } else {
      assertThat(kdf).isEqualTo(1);
      assertThat(in.get()).isEqualTo((byte) 0x13);
      int memoryKib = in.getInt();
      int iterations = in.getInt();
      int parallelism = Byte.toUnsignedInt(in.get());
      byte[] salt = new byte[Byte.toUnsignedInt(in.get())];
      in.get(salt);
      Argon2BytesGenerator argon = new Argon2BytesGenerator();
      argon.init(
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(0x13)
              .withMemoryAsKB(memoryKib)
              .withIterations(iterations)
              .withParallelism(parallelism)
              .withSalt(salt)
              .build());
      kek = new byte[32];
      argon.generateBytes(secret.getBytes(StandardCharsets.UTF_8), kek);
    }
    assertThat(in.get()).isEqualTo((byte) 1); // data cipher
    byte[] keyCheck = new byte[16];
    in.get(keyCheck);
    byte[] wrapNonce = new byte[12];
    in.get(wrapNonce);
    int wrappedLength = Short.toUnsignedInt(in.getShort());
    int associatedEnd = in.position();
    byte[] wrapped = new byte[wrappedLength];
    in.get(wrapped);
    assertThat(in.position()).isEqualTo(headerLength - 32);

    assertThat(Arrays.copyOf(hmac(kek, "kanbu-backup v1 key check"), 16)).isEqualTo(keyCheck);
    byte[] wrappingKey = hmac(kek, "kanbu-backup v1 key wrap");
    byte[] dataKey =
        gcmDecrypt(wrappingKey, wrapNonce, Arrays.copyOf(file, associatedEnd), wrapped);
    assertThat(dataKey).hasSize(32);

    // Tink AES-GCM-HKDF streaming ciphertext starts right after the header.
    int position = headerLength;
    assertThat(file[position]).isEqualTo((byte) 40);
    byte[] salt = Arrays.copyOfRange(file, position + 1, position + 33);
    byte[] noncePrefix = Arrays.copyOfRange(file, position + 33, position + 40);
    byte[] associatedData = expectedId.toString().getBytes(StandardCharsets.UTF_8);
    byte[] segmentKey = Arrays.copyOf(hmac(hmac(salt, dataKey), concat(associatedData, 1)), 32);
    position += 40;

    ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    for (int segment = 0; ; segment++) {
      int length = segment == 0 ? (1 << 20) - 40 : 1 << 20;
      boolean last = position + length >= file.length;
      if (last) {
        length = file.length - position;
      }
      byte[] nonce =
          ByteBuffer.allocate(12)
              .put(noncePrefix)
              .putInt(segment)
              .put((byte) (last ? 1 : 0))
              .array();
      plaintext.write(
          gcmDecrypt(
              segmentKey,
              nonce,
              new byte[0],
              Arrays.copyOfRange(file, position, position + length)));
      position += length;
      if (last) {
        return plaintext.toByteArray();
      }
    }
  }

  private static byte[] hmac(byte[] key, String message) throws Exception {
    return hmac(key, message.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }

  private static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext)
      throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(ciphertext);
  }

  private static byte[] concat(byte[] bytes, int lastByte) {
    byte[] out = Arrays.copyOf(bytes, bytes.length + 1);
    out[bytes.length] = (byte) lastByte;
    return out;
  }
}
