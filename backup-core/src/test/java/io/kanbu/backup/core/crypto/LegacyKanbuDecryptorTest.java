package io.kanbu.backup.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.CryptoFixtures.TricklingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Fixtures made by {@code src/test/resources/crypto/make-legacy-fixtures.mjs} with Node's crypto
 * module, as the original Kanbu did; the keys below are the constants of that script.
 */
class LegacyKanbuDecryptorTest {

  private static final String NODE_HEX_KEY =
      "8f1c2b7e4d6a9f03c5e7b1d2a4f6c8e0112233445566778899aabbccddeeff00";
  private static final String NODE_PASSPHRASE = "correct horse: battery staple — kanbu legacy ✓";

  private final LegacyKanbuDecryptor hexKeyDecryptor =
      new LegacyKanbuDecryptor(KeyringEntry.of("primary", NODE_HEX_KEY));

  @Test
  void fileEncryptedWithTheHexKey_decryptsToTheGzipPayload() throws IOException {
    byte[] payload = resource("legacy-payload.sql.gz");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();

    long written =
        hexKeyDecryptor.decrypt(
            new ByteArrayInputStream(resource("legacy-hexkey.sql.gz.enc")), sink);

    assertThat(written).isEqualTo(payload.length);
    assertThat(sink.toByteArray()).isEqualTo(payload);
    assertThat(gunzip(sink.toByteArray()))
        .startsWith("-- PostgreSQL database dump")
        .contains("COMMIT;");
  }

  @Test
  void fileEncryptedWithAPassphrase_decryptsThroughPbkdf2_evenWhenReadInTinyPieces()
      throws IOException {
    LegacyKanbuDecryptor decryptor =
        LegacyKanbuDecryptor.withPrimaryKey(
            Keyring.fromEnvironment(java.util.Map.of("BACKUP_ENCRYPTION_KEY", NODE_PASSPHRASE)));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();

    decryptor.decrypt(
        new TricklingInputStream(
            new ByteArrayInputStream(resource("legacy-passphrase.sql.gz.enc")), 13),
        sink);

    assertThat(sink.toByteArray()).isEqualTo(resource("legacy-payload.sql.gz"));
  }

  @Test
  void tamperedLegacyFile_failsAtTheEnd_withAMessageToDiscardTheOutput() throws IOException {
    byte[] file = resource("legacy-hexkey.sql.gz.enc");
    file[file.length / 2] ^= 0x01;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();

    assertThatThrownBy(() -> hexKeyDecryptor.decrypt(new ByteArrayInputStream(file), sink))
        .isInstanceOf(LegacyAuthenticationException.class)
        .hasMessageContaining("legacy file authentication failed (GCM tag mismatch)")
        .hasMessageContaining("discard the");
  }

  @Test
  void truncatedLegacyFile_fails() throws IOException {
    byte[] file = resource("legacy-hexkey.sql.gz.enc");

    assertThatThrownBy(
            () ->
                hexKeyDecryptor.decrypt(
                    new ByteArrayInputStream(Arrays.copyOf(file, file.length - 1)),
                    new ByteArrayOutputStream()))
        .isInstanceOf(LegacyAuthenticationException.class);
    assertThatThrownBy(
            () ->
                hexKeyDecryptor.decrypt(
                    new ByteArrayInputStream(Arrays.copyOf(file, 20)), new ByteArrayOutputStream()))
        .isInstanceOf(LegacyAuthenticationException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void wrongKey_failsTheTagCheck() throws IOException {
    LegacyKanbuDecryptor wrong = new LegacyKanbuDecryptor(KeyringEntry.of("primary", "nope"));

    assertThatThrownBy(
            () ->
                wrong.decrypt(
                    new ByteArrayInputStream(resource("legacy-passphrase.sql.gz.enc")),
                    new ByteArrayOutputStream()))
        .isInstanceOf(LegacyAuthenticationException.class)
        .hasMessageContaining("wrong key 'primary'")
        .message()
        .doesNotContain("nope");
  }

  @Test
  void newFormatFile_isNotALegacyFile_andFailsCleanly() throws IOException {
    byte[] modern =
        CryptoFixtures.encrypt(
            new EnvelopeEncryption(CryptoFixtures.keyringA()),
            java.util.UUID.randomUUID(),
            new byte[100]);

    assertThatThrownBy(
            () ->
                hexKeyDecryptor.decrypt(
                    new ByteArrayInputStream(modern), new ByteArrayOutputStream()))
        .isInstanceOf(LegacyAuthenticationException.class);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = LegacyKanbuDecryptorTest.class.getResourceAsStream("/crypto/" + name)) {
      assertThat(in).as("test resource /crypto/" + name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
