package io.kanbu.backup.core.crypto;

import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_A;
import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_B;
import static io.kanbu.backup.core.crypto.CryptoFixtures.PASSPHRASE;
import static io.kanbu.backup.core.crypto.CryptoFixtures.drainUntilFailure;
import static io.kanbu.backup.core.crypto.CryptoFixtures.encrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.flipBit;
import static io.kanbu.backup.core.crypto.CryptoFixtures.keyringA;
import static io.kanbu.backup.core.crypto.CryptoFixtures.randomBytes;
import static io.kanbu.backup.core.crypto.CryptoFixtures.truncate;
import static io.kanbu.backup.core.crypto.EnvelopeEncryption.CIPHERTEXT_SEGMENT_BYTES;
import static io.kanbu.backup.core.crypto.EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES;
import static io.kanbu.backup.core.crypto.EnvelopeEncryption.SEGMENT_PLAINTEXT_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.CryptoFixtures.Drained;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvelopeEncryptionTamperTest {

  // Four segments: 0 (with the stream header), 1, 2, and a short last segment 3.
  private static final int PLAINTEXT_SIZE =
      FIRST_SEGMENT_PLAINTEXT_BYTES + 2 * SEGMENT_PLAINTEXT_BYTES + 5_000;

  private final UUID backupId = UUID.randomUUID();
  private final EnvelopeEncryption encryption = new EnvelopeEncryption(keyringA());
  private byte[] plaintext;
  private byte[] ciphertext;
  private int headerLength;

  @BeforeAll
  void encryptOnce() throws IOException {
    plaintext = randomBytes(PLAINTEXT_SIZE, 42);
    ciphertext = encrypt(encryption, backupId, plaintext);
    headerLength = EnvelopeEncryption.readHeader(new ByteArrayInputStream(ciphertext)).length();
  }

  private InputStream open(byte[] bytes) throws IOException {
    return encryption.decrypt(new ByteArrayInputStream(bytes), backupId);
  }

  /** Offset of the first byte of data segment {@code n} in the file. */
  private int segmentOffset(int n) {
    return headerLength + n * CIPHERTEXT_SEGMENT_BYTES;
  }

  private void assertFailsAtSegment(byte[] damaged, int segment) throws IOException {
    Drained drained = drainUntilFailure(open(damaged));

    assertThat(drained.failure())
        .isInstanceOf(SegmentAuthenticationException.class)
        .hasMessage(
            "ciphertext corrupted or truncated at segment "
                + segment
                + " (0-based, 1 MiB segments): discard everything read from this stream");
    assertThat(((SegmentAuthenticationException) drained.failure()).segmentIndex())
        .isEqualTo(segment);
    int good =
        segment == 0 ? 0 : FIRST_SEGMENT_PLAINTEXT_BYTES + (segment - 1) * SEGMENT_PLAINTEXT_BYTES;
    // Exactly the segments before the damaged one were released, and they are the original bytes.
    assertThat(drained.released()).hasSize(good);
    assertThat(drained.released()).isEqualTo(Arrays.copyOf(plaintext, good));
  }

  @Test
  void intactFile_decryptsCompletely() throws IOException {
    Drained drained = drainUntilFailure(open(ciphertext));

    assertThat(drained.failure()).isNull();
    assertThat(drained.released()).isEqualTo(plaintext);
  }

  @Test
  void flippedBitInMagic_isReportedAsNotAnEncryptedBackup() {
    for (int offset = 0; offset < 4; offset++) {
      byte[] damaged = flipBit(ciphertext, offset, 2);
      assertThatThrownBy(() -> open(damaged))
          .isInstanceOf(NotAnEncryptedBackupException.class)
          .hasMessageContaining("bad magic bytes");
    }
  }

  @Test
  void flippedBitAnywhereElseInTheHeader_isReportedAsHeaderCorrupted() {
    List<Integer> notDetected = new ArrayList<>();
    for (int offset = 4; offset < headerLength; offset++) {
      for (int bit : new int[] {0, 7}) {
        byte[] damaged = flipBit(ciphertext, offset, bit);
        try {
          open(damaged).close();
          notDetected.add(offset);
        } catch (HeaderCorruptedException expected) {
          assertThat(expected.getMessage()).startsWith("header ");
        } catch (IOException other) {
          throw new AssertionError("offset " + offset + " bit " + bit + ": " + other, other);
        }
      }
    }
    assertThat(notDetected).isEmpty();
  }

  @Test
  void flippedBitInTheVersionByte_reportsCorruption_notAnUnknownVersion() {
    assertThatThrownBy(() -> open(flipBit(ciphertext, 4, 1)))
        .isInstanceOf(HeaderCorruptedException.class)
        .hasMessageContaining("header checksum (SHA-256) mismatch");
  }

  @Test
  void newerFormatVersionWithAValidChecksum_isReportedAsUnsupported() {
    byte[] newer = withRecomputedChecksum(patch(ciphertext, 4, (byte) 2));

    assertThatThrownBy(() -> open(newer))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessage(
            "unsupported format version 2: this build reads version 1; use a newer Kanbu Backup");
  }

  @Test
  void forgedWrapNonceWithRecomputedChecksum_failsHeaderAuthentication() {
    // raw-key header: nonce starts after magic..key id (24 + 5 = 29), KDF (1), cipher (1), check 16
    int nonceOffset = 24 + "key-a".length() + 1 + 1 + 16;
    byte[] forged = withRecomputedChecksum(flipBit(ciphertext, nonceOffset, 0));

    assertThatThrownBy(() -> open(forged))
        .isInstanceOf(HeaderAuthenticationException.class)
        .hasMessageContaining("header authentication failed: key 'key-a' is right");
  }

  @Test
  void forgedBackupIdWithRecomputedChecksum_isCaughtByTheIdCheck_orByHeaderAuthentication()
      throws IOException {
    byte[] forged = withRecomputedChecksum(flipBit(ciphertext, 10, 3));
    UUID forgedId = EnvelopeEncryption.readHeader(new ByteArrayInputStream(forged)).backupId();

    assertThatThrownBy(() -> open(forged))
        .isInstanceOf(BackupIdMismatchException.class)
        .hasMessageContaining("backup '" + backupId + "' was requested");
    assertThatThrownBy(() -> encryption.decrypt(new ByteArrayInputStream(forged), forgedId))
        .isInstanceOf(HeaderAuthenticationException.class);
  }

  @Test
  void flippedBitInTheStreamHeader_failsSegmentZero_andReleasesNothing() throws IOException {
    assertFailsAtSegment(flipBit(ciphertext, headerLength + 5, 4), 0);
  }

  @Test
  void flippedBitInAMiddleSegment_failsThatSegment_andReleasesOnlyTheSegmentsBefore()
      throws IOException {
    assertFailsAtSegment(flipBit(ciphertext, segmentOffset(2) + 123_456, 6), 2);
  }

  @Test
  void flippedBitInTheLastSegment_failsTheLastSegment() throws IOException {
    assertFailsAtSegment(flipBit(ciphertext, ciphertext.length - 100, 0), 3);
  }

  @Test
  void flippedBitInTheLastTag_failsTheLastSegment() throws IOException {
    assertFailsAtSegment(flipBit(ciphertext, ciphertext.length - 1, 0), 3);
  }

  @Test
  void truncatedInsideASegment_failsThatSegment() throws IOException {
    assertFailsAtSegment(truncate(ciphertext, segmentOffset(2) + 1000), 2);
  }

  @Test
  void truncatedExactlyAtASegmentBoundary_failsTheSegmentThatBecameLast() throws IOException {
    // Without segment 2 and 3, segment 1 looks like the last one, but it was sealed as "not last".
    assertFailsAtSegment(truncate(ciphertext, segmentOffset(2)), 1);
  }

  @Test
  void truncatedLastByte_failsTheLastSegment() throws IOException {
    assertFailsAtSegment(truncate(ciphertext, ciphertext.length - 1), 3);
  }

  @Test
  void truncatedRightAfterTheHeader_failsSegmentZero() throws IOException {
    assertFailsAtSegment(truncate(ciphertext, headerLength), 0);
  }

  @Test
  void truncatedInsideTheHeader_isReportedAsHeaderTruncated() {
    assertThatThrownBy(() -> open(truncate(ciphertext, headerLength - 10)))
        .isInstanceOf(HeaderCorruptedException.class)
        .hasMessageContaining("header truncated");
    assertThatThrownBy(() -> open(truncate(ciphertext, 5)))
        .isInstanceOf(HeaderCorruptedException.class)
        .hasMessageContaining("header truncated");
    assertThatThrownBy(() -> open(new byte[0]))
        .isInstanceOf(NotAnEncryptedBackupException.class)
        .hasMessageContaining("the input is empty");
  }

  @Test
  void wrongKeyUnderTheSameId_isReportedAsWrongKey() {
    EnvelopeEncryption other =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("key-a", HEX_KEY_B)));

    assertThatThrownBy(() -> other.decrypt(new ByteArrayInputStream(ciphertext), backupId))
        .isInstanceOf(WrongKeyException.class)
        .hasMessage(
            "wrong key: key 'key-a' in the keyring is not the key this backup was encrypted with"
                + " (key check value mismatch)");
  }

  @Test
  void passphraseWhereTheBackupNeedsARawKey_isReportedAsWrongKeyKind() {
    EnvelopeEncryption other =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("key-a", PASSPHRASE)));

    assertThatThrownBy(() -> other.decrypt(new ByteArrayInputStream(ciphertext), backupId))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("is a passphrase but this backup was wrapped with a raw 256-bit key");
  }

  @Test
  void unknownKeyId_namesTheKeyAndWhereToAddIt() {
    EnvelopeEncryption other =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("key-b", HEX_KEY_B)));

    assertThatThrownBy(() -> other.decrypt(new ByteArrayInputStream(ciphertext), backupId))
        .isInstanceOf(UnknownKeyIdException.class)
        .hasMessage(
            "no key 'key-a' in the keyring (it has [key-b]); add it to BACKUP_ENCRYPTION_OLD_KEYS");
  }

  @Test
  void missingKey_saysThatNoKeyIsConfigured() {
    EnvelopeEncryption none = new EnvelopeEncryption(Keyring.empty());

    assertThatThrownBy(() -> none.decrypt(new ByteArrayInputStream(ciphertext), backupId))
        .isInstanceOf(NoKeyConfiguredException.class)
        .hasMessage(
            "no encryption key configured: this backup needs key 'key-a'; set"
                + " BACKUP_ENCRYPTION_KEY or add it to BACKUP_ENCRYPTION_OLD_KEYS");
  }

  @Test
  void otherBackupId_isRefusedBeforeAnyDecryption() {
    UUID other = UUID.randomUUID();

    assertThatThrownBy(() -> encryption.decrypt(new ByteArrayInputStream(ciphertext), other))
        .isInstanceOf(BackupIdMismatchException.class)
        .hasMessageContaining("the file is backup '" + backupId + "'");
  }

  @Test
  void storageReadFailure_isPassedOnAsIs_notMistakenForCorruption() throws IOException {
    IOException storageFailure = new IOException("connection reset by storage");
    InputStream failing =
        new java.io.FilterInputStream(new ByteArrayInputStream(ciphertext)) {
          private long position;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (position > segmentOffset(1) + 10) {
              throw storageFailure;
            }
            int n = super.read(b, off, len);
            position += Math.max(n, 0);
            return n;
          }
        };

    Drained drained = drainUntilFailure(encryption.decrypt(failing, backupId));

    assertThat(drained.failure()).isNotInstanceOf(DecryptionException.class);
    assertThat(drained.failure()).hasStackTraceContaining("connection reset by storage");
  }

  @Test
  void noFailureMessage_containsKeyMaterial() {
    List<String> messages = new ArrayList<>();
    for (EnvelopeEncryption candidate :
        List.of(
            new EnvelopeEncryption(Keyring.of(KeyringEntry.of("key-a", HEX_KEY_B))),
            new EnvelopeEncryption(Keyring.of(KeyringEntry.of("key-a", PASSPHRASE))),
            new EnvelopeEncryption(Keyring.of(KeyringEntry.of("x", PASSPHRASE))))) {
      try {
        candidate.decrypt(new ByteArrayInputStream(ciphertext), backupId);
      } catch (IOException e) {
        messages.add(String.valueOf(e.getMessage()));
      }
    }
    assertThat(messages).hasSize(3);
    assertThat(String.join("\n", messages))
        .doesNotContain(HEX_KEY_A)
        .doesNotContain(HEX_KEY_B)
        .doesNotContain(PASSPHRASE)
        .doesNotContain("tr0ub4dor");
  }

  private static byte[] patch(byte[] data, int offset, byte value) {
    byte[] copy = data.clone();
    copy[offset] = value;
    return copy;
  }

  private byte[] withRecomputedChecksum(byte[] data) {
    byte[] copy = data.clone();
    byte[] checksum = HeaderCodec.sha256(copy, headerLength - 32);
    System.arraycopy(checksum, 0, copy, headerLength - 32, 32);
    return copy;
  }
}
