package io.kanbu.backup.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.Security;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeCryptoTest {

  private static final EnvelopeEncryption ENCRYPTION =
      new EnvelopeEncryption(Keyring.of(KeyringEntry.of("k1", "a".repeat(64))));

  @AfterEach
  void jdkProvidersOnly() {
    Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
  }

  /** The provider's jar carries the native library for Linux on x86-64 only. */
  private static final boolean NATIVE_PLATFORM =
      System.getProperty("os.name").equals("Linux")
          && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));

  @Test
  void auto_elsewhere_keepsTheJdkProviders_andSaysWhy() throws Exception {
    NativeCrypto.Outcome outcome = NativeCrypto.install("auto");

    assertThat(outcome.installed()).as(outcome.detail()).isEqualTo(NATIVE_PLATFORM);
    if (!NATIVE_PLATFORM) {
      assertThat(outcome.detail()).contains("does not load here", "BACKUP_NATIVE_CRYPTO=off");
      assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("SUN");
    }
  }

  @Test
  void auto_putsTheNativeProviderFirst_forAesGcmAndSha256() throws Exception {
    assumeNativePlatform();
    NativeCrypto.Outcome outcome = NativeCrypto.install(null);

    assertThat(outcome.installed()).as(outcome.detail()).isTrue();
    assertThat(outcome.detail()).contains("Amazon Corretto Crypto Provider");
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName())
        .isEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
  }

  @Test
  void backupsEncryptedWithEitherProvider_decryptWithTheOther() throws Exception {
    // odd size: three full segments and a partial one
    byte[] plaintext = new byte[3 * EnvelopeEncryption.SEGMENT_PLAINTEXT_BYTES + 12_345];
    new Random(7).nextBytes(plaintext);
    UUID backupId = UUID.randomUUID();

    assumeNativePlatform();
    NativeCrypto.install("auto");
    byte[] byNative = encrypt(plaintext, backupId);
    byte[] nativeDigest = MessageDigest.getInstance("SHA-256").digest(byNative);
    Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    byte[] byJdk = encrypt(plaintext, backupId);

    assertThat(decrypt(byNative, backupId)).isEqualTo(plaintext);
    assertThat(MessageDigest.getInstance("SHA-256").digest(byNative)).isEqualTo(nativeDigest);
    NativeCrypto.install("auto");
    assertThat(decrypt(byJdk, backupId)).isEqualTo(plaintext);
  }

  @Test
  void off_leavesTheJdkProviders_andAnythingElseIsRefusedByName() throws Exception {
    NativeCrypto.Outcome outcome = NativeCrypto.install(" OFF ");

    assertThat(outcome.installed()).isFalse();
    assertThat(outcome.status()).isEqualTo(NativeCrypto.Status.OFF);
    assertThat(outcome.unexpected()).isFalse();
    assertThat(Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME)).isNull();
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("SUN");
    assertThatThrownBy(() -> NativeCrypto.install("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BACKUP_NATIVE_CRYPTO is 'fast'; set it to auto (the default) or off");
  }

  /**
   * These two need the native provider: on other platforms they stop here, and {@link
   * #auto_elsewhere_keepsTheJdkProviders_andSaysWhy} checks the fallback instead.
   */
  private static void assumeNativePlatform() {
    assumeTrue(NATIVE_PLATFORM, "the native provider ships for Linux x86-64 only");
  }

  private static byte[] encrypt(byte[] plaintext, UUID backupId) throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = ENCRYPTION.encrypt(sink, backupId)) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  private static byte[] decrypt(byte[] ciphertext, UUID backupId) throws Exception {
    try (InputStream in = ENCRYPTION.decrypt(new ByteArrayInputStream(ciphertext), backupId)) {
      return in.readAllBytes();
    }
  }
}
