package io.kanbu.backup.core.crypto;

import static io.kanbu.backup.core.crypto.CryptoFixtures.decrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.encrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.keyringA;
import static io.kanbu.backup.core.crypto.CryptoFixtures.randomBytes;
import static io.kanbu.backup.core.crypto.EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES;
import static io.kanbu.backup.core.crypto.EnvelopeEncryption.SEGMENT_PLAINTEXT_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeEncryptionRoundTripTest {

  private final EnvelopeEncryption encryption = new EnvelopeEncryption(keyringA());

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(
      ints = {
        0,
        1,
        FIRST_SEGMENT_PLAINTEXT_BYTES - 1,
        FIRST_SEGMENT_PLAINTEXT_BYTES, // exactly one segment
        FIRST_SEGMENT_PLAINTEXT_BYTES + 1,
        SEGMENT_PLAINTEXT_BYTES, // a full ciphertext segment's plaintext size
        FIRST_SEGMENT_PLAINTEXT_BYTES + SEGMENT_PLAINTEXT_BYTES - 1,
        FIRST_SEGMENT_PLAINTEXT_BYTES + SEGMENT_PLAINTEXT_BYTES, // exactly two segments
        FIRST_SEGMENT_PLAINTEXT_BYTES + SEGMENT_PLAINTEXT_BYTES + 1,
        FIRST_SEGMENT_PLAINTEXT_BYTES + 3 * SEGMENT_PLAINTEXT_BYTES + 12_345 // five segments
      })
  void randomData_roundTrips_withTheExactPredictedSize(int size) throws Exception {
    UUID backupId = UUID.randomUUID();
    byte[] plaintext = randomBytes(size, size);

    byte[] ciphertext = encrypt(encryption, backupId, plaintext);

    EncryptionHeader header = EnvelopeEncryption.readHeader(new ByteArrayInputStream(ciphertext));
    assertThat(ciphertext)
        .hasSize(header.length() + (int) EnvelopeEncryption.dataCiphertextBytes(size));
    assertThat(decrypt(encryption, backupId, ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void plaintextWrittenInOddPieces_andReadByteByByte_roundTrips() throws Exception {
    UUID backupId = UUID.randomUUID();
    byte[] plaintext = randomBytes(FIRST_SEGMENT_PLAINTEXT_BYTES + 3_000, 7);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = encryption.encrypt(sink, backupId)) {
      int offset = 0;
      int piece = 1;
      while (offset < plaintext.length) {
        int n = Math.min(piece, plaintext.length - offset);
        if (n == 1) {
          out.write(plaintext[offset]);
        } else {
          out.write(plaintext, offset, n);
        }
        offset += n;
        piece = piece * 3 + 1;
      }
    }
    ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
    try (InputStream in =
        encryption.decrypt(new ByteArrayInputStream(sink.toByteArray()), backupId)) {
      int b;
      while ((b = in.read()) != -1) {
        decrypted.write(b);
      }
    }
    assertThat(decrypted.toByteArray()).isEqualTo(plaintext);
  }

  @Test
  void sameDataEncryptedTwice_givesUnrelatedCiphertexts_becauseEachBackupHasItsOwnDataKey()
      throws Exception {
    UUID backupId = UUID.randomUUID();
    byte[] plaintext = randomBytes(10_000, 1);

    byte[] first = encrypt(encryption, backupId, plaintext);
    byte[] second = encrypt(encryption, backupId, plaintext);

    EncryptionHeader h1 = EnvelopeEncryption.readHeader(new ByteArrayInputStream(first));
    EncryptionHeader h2 = EnvelopeEncryption.readHeader(new ByteArrayInputStream(second));
    assertThat(h1.wrappedDataKey()).isNotEqualTo(h2.wrappedDataKey());
    assertThat(Arrays.copyOfRange(first, h1.length(), first.length))
        .isNotEqualTo(Arrays.copyOfRange(second, h2.length(), second.length));
  }

  @Test
  void header_recordsBackupIdKeyIdAndCipher_andIsReadableWithoutAKey() throws Exception {
    UUID backupId = UUID.fromString("0b0e6c3a-59f4-4d8e-9d61-3f1c1e2a7b44");
    byte[] ciphertext = encrypt(encryption, backupId, new byte[] {1, 2, 3});

    EncryptionHeader header = EnvelopeEncryption.readHeader(new ByteArrayInputStream(ciphertext));

    assertThat(header.formatVersion()).isEqualTo(1);
    assertThat(header.backupId()).isEqualTo(backupId);
    assertThat(header.keyId()).isEqualTo("key-a");
    assertThat(header.keyDerivation()).isInstanceOf(KeyDerivationSpec.RawKey.class);
    assertThat(header.dataCipherName()).isEqualTo("AES256_GCM_HKDF_1MB");
    assertThat(Arrays.copyOf(ciphertext, 4)).containsExactly('K', 'N', 'B', 'K');
    assertThat(header.toString()).doesNotContain(CryptoFixtures.HEX_KEY_A);
  }

  @Test
  void dataParameters_areTinksAes256GcmHkdf1MbTemplate() {
    assertThat(EnvelopeEncryption.dataParameters())
        .isEqualTo(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
  }

  @Test
  void encrypt_withoutPrimaryKey_refusesWithTheVariableToSet() {
    EnvelopeEncryption decryptOnly =
        new EnvelopeEncryption(
            Keyring.decryptOnly(java.util.List.of(KeyringEntry.of("old", "some passphrase"))));

    assertThat(decryptOnly.canEncrypt()).isFalse();
    assertThatThrownBy(() -> decryptOnly.encrypt(new ByteArrayOutputStream(), UUID.randomUUID()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BACKUP_ENCRYPTION_KEY");
  }

  @Test
  void encryptThroughput_of256MiB_isPrinted() throws Exception {
    // A fresh JVM runs AES-GCM interpreted until C2 compiles the JDK's GCM intrinsic; a
    // long-running worker is warm, and the figure below is the warm one.
    double warmUpSeconds = EnvelopeEncryption.warmUp().toNanos() / 1e9;

    long size = 256L * 1024 * 1024;
    CryptoFixtures.CountingSink sink = new CryptoFixtures.CountingSink();
    byte[] chunk = randomBytes(1 << 16, 99);
    long start = System.nanoTime();
    try (OutputStream out = encryption.encrypt(sink, UUID.randomUUID())) {
      for (long written = 0; written < size; written += chunk.length) {
        out.write(chunk);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "[crypto-throughput] encrypt 256 MiB: %.2f s = %.0f MB/s (%.0f MiB/s), after a %.1f s"
            + " warm-up%n",
        seconds, size / 1e6 / seconds, size / 1048576.0 / seconds, warmUpSeconds);
    assertThat(sink.count)
        .isEqualTo(
            HeaderCodecTestSupport.rawKeyHeaderLength("key-a")
                + EnvelopeEncryption.dataCiphertextBytes(size));
  }
}
