package io.kanbu.backup.core.crypto;

import static io.kanbu.backup.core.crypto.CryptoFixtures.FAST_ARGON2;
import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_A;
import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_B;
import static io.kanbu.backup.core.crypto.CryptoFixtures.PASSPHRASE;
import static io.kanbu.backup.core.crypto.CryptoFixtures.decrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.encrypt;
import static io.kanbu.backup.core.crypto.CryptoFixtures.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyRotationAndPassphraseTest {

  private final UUID backupId = UUID.randomUUID();
  private final byte[] plaintext =
      randomBytes(EnvelopeEncryption.FIRST_SEGMENT_PLAINTEXT_BYTES + 77_777, 5);

  @Test
  void passphraseBackup_recordsArgon2idParametersInTheHeader_andTheReaderUsesThem()
      throws IOException {
    Argon2idParameters writerCost = new Argon2idParameters(2048, 2, 2);
    EnvelopeEncryption writer =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("pass", PASSPHRASE)), writerCost);
    byte[] ciphertext = encrypt(writer, backupId, plaintext);

    EncryptionHeader header = EnvelopeEncryption.readHeader(new ByteArrayInputStream(ciphertext));
    assertThat(header.keyDerivation())
        .isInstanceOfSatisfying(
            KeyDerivationSpec.Argon2id.class,
            argon -> {
              assertThat(argon.parameters()).isEqualTo(writerCost);
              assertThat(argon.salt()).hasSize(16);
            });
    assertThat(header.length()).isEqualTo(HeaderCodecTestSupport.argon2idHeaderLength("pass"));

    // A reader configured with other (default) costs still decrypts: the header decides.
    EnvelopeEncryption reader =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("pass", PASSPHRASE)));
    assertThat(decrypt(reader, backupId, ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void passphraseBackup_withDefaultArgon2idCost_roundTrips_andTheCostIsPrinted()
      throws IOException {
    EnvelopeEncryption encryption =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("pass", PASSPHRASE)));
    long start = System.nanoTime();
    byte[] ciphertext = encrypt(encryption, backupId, new byte[] {42});
    long encryptMillis = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    byte[] decrypted = decrypt(encryption, backupId, ciphertext);
    long decryptMillis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "[crypto-argon2id] m=64 MiB t=3 p=1: encrypt %d ms, decrypt %d ms (each one derivation)%n",
        encryptMillis, decryptMillis);

    assertThat(decrypted).containsExactly(42);
    EncryptionHeader header = EnvelopeEncryption.readHeader(new ByteArrayInputStream(ciphertext));
    assertThat(((KeyDerivationSpec.Argon2id) header.keyDerivation()).parameters())
        .isEqualTo(Argon2idParameters.DEFAULT);
  }

  @Test
  void wrongPassphrase_isReportedAsWrongKey() throws IOException {
    EnvelopeEncryption writer =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("pass", PASSPHRASE)), FAST_ARGON2);
    byte[] ciphertext = encrypt(writer, backupId, plaintext);
    EnvelopeEncryption reader =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("pass", PASSPHRASE + " ")));

    assertThatThrownBy(() -> decrypt(reader, backupId, ciphertext))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("key 'pass' in the keyring is not the key");
  }

  @Test
  void rotation_encryptWithA_rekeyToB_removeA_stillDecrypts_andTheDataIsByteIdentical()
      throws IOException {
    EnvelopeEncryption withA = new EnvelopeEncryption(Keyring.of(KeyringEntry.of("a", HEX_KEY_A)));
    byte[] underA = encrypt(withA, backupId, plaintext);

    EnvelopeEncryption rotating =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("b", HEX_KEY_B), KeyringEntry.of("a", HEX_KEY_A)));
    ByteArrayOutputStream rekeyed = new ByteArrayOutputStream();
    EncryptionHeader newHeader = rotating.rekey(new ByteArrayInputStream(underA), rekeyed);
    byte[] underB = rekeyed.toByteArray();

    int oldHeaderLength = EnvelopeEncryption.readHeader(new ByteArrayInputStream(underA)).length();
    assertThat(newHeader.keyId()).isEqualTo("b");
    assertThat(rotating.isWrappedByPrimary(newHeader)).isTrue();
    assertThat(Arrays.copyOfRange(underB, newHeader.length(), underB.length))
        .isEqualTo(Arrays.copyOfRange(underA, oldHeaderLength, underA.length));

    EnvelopeEncryption onlyB = new EnvelopeEncryption(Keyring.of(KeyringEntry.of("b", HEX_KEY_B)));
    assertThat(decrypt(onlyB, backupId, underB)).isEqualTo(plaintext);
    assertThatThrownBy(() -> decrypt(onlyB, backupId, underA))
        .isInstanceOf(UnknownKeyIdException.class)
        .hasMessageContaining("no key 'a' in the keyring");
  }

  @Test
  void rotationFromRawKeyToPassphrase_changesTheHeaderLength_butNotTheData() throws IOException {
    EnvelopeEncryption withA = new EnvelopeEncryption(Keyring.of(KeyringEntry.of("a", HEX_KEY_A)));
    byte[] underA = encrypt(withA, backupId, plaintext);
    EnvelopeEncryption rotating =
        new EnvelopeEncryption(
            Keyring.of(KeyringEntry.of("p2", PASSPHRASE), KeyringEntry.of("a", HEX_KEY_A)),
            FAST_ARGON2);

    ByteArrayInputStream source = new ByteArrayInputStream(underA);
    EncryptionHeader newHeader = rotating.rewrapHeader(source);
    byte[] data = source.readAllBytes(); // rewrapHeader left the stream at the data
    int oldHeaderLength = HeaderCodecTestSupport.rawKeyHeaderLength("a");

    assertThat(newHeader.length()).isEqualTo(HeaderCodecTestSupport.argon2idHeaderLength("p2"));
    assertThat(data).isEqualTo(Arrays.copyOfRange(underA, oldHeaderLength, underA.length));
    byte[] rewritten = new byte[newHeader.length() + data.length];
    System.arraycopy(newHeader.encoded(), 0, rewritten, 0, newHeader.length());
    System.arraycopy(data, 0, rewritten, newHeader.length(), data.length);
    EnvelopeEncryption passphraseOnly =
        new EnvelopeEncryption(Keyring.of(KeyringEntry.of("p2", PASSPHRASE)));
    assertThat(decrypt(passphraseOnly, backupId, rewritten)).isEqualTo(plaintext);
  }

  @Test
  void rekey_withoutTheOldKey_failsAndNamesTheMissingKey() throws IOException {
    EnvelopeEncryption withA = new EnvelopeEncryption(Keyring.of(KeyringEntry.of("a", HEX_KEY_A)));
    byte[] underA = encrypt(withA, backupId, plaintext);
    EnvelopeEncryption onlyB = new EnvelopeEncryption(Keyring.of(KeyringEntry.of("b", HEX_KEY_B)));

    assertThatThrownBy(
            () -> onlyB.rekey(new ByteArrayInputStream(underA), new ByteArrayOutputStream()))
        .isInstanceOf(UnknownKeyIdException.class)
        .hasMessageContaining("add it to BACKUP_ENCRYPTION_OLD_KEYS");
  }
}
