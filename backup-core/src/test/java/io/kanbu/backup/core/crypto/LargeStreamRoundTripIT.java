package io.kanbu.backup.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.crypto.CryptoFixtures.PseudoRandomInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More than 2 GiB through encrypt and decrypt with constant memory: the plaintext is generated on
 * the fly, the ciphertext goes to a temporary file, and only digests are compared.
 */
class LargeStreamRoundTripIT {

  private static final long SIZE = (2L << 30) + 12_345; // 2 GiB + a partial segment

  @TempDir Path dir;

  @Test
  void moreThanTwoGibibytes_roundTripStreamed_withMatchingDigests() throws Exception {
    EnvelopeEncryption encryption = new EnvelopeEncryption(CryptoFixtures.keyringA());
    UUID backupId = UUID.randomUUID();
    Path file = dir.resolve("large.enc");
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];

    double warmUpSeconds = EnvelopeEncryption.warmUp().toNanos() / 1e9;
    long start = System.nanoTime();
    try (InputStream source =
            new DigestInputStream(new PseudoRandomInputStream(SIZE, 2026), written);
        OutputStream out =
            encryption.encrypt(new BufferedOutputStream(Files.newOutputStream(file)), backupId)) {
      source.transferTo(out);
    }
    long encrypted = System.nanoTime();

    MessageDigest read = MessageDigest.getInstance("SHA-256");
    long count = 0;
    try (InputStream in =
        new DigestInputStream(
            encryption.decrypt(new BufferedInputStream(Files.newInputStream(file)), backupId),
            read)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        count += n;
      }
    }
    long decrypted = System.nanoTime();
    System.out.printf(
        "[crypto-large] %d bytes: warm-up %.1f s, encrypt %.1f s, decrypt %.1f s, heap used %d MiB%n",
        SIZE,
        warmUpSeconds,
        (encrypted - start) / 1e9,
        (decrypted - encrypted) / 1e9,
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);

    assertThat(count).isEqualTo(SIZE);
    assertThat(Files.size(file))
        .isEqualTo(
            HeaderCodecTestSupport.rawKeyHeaderLength("key-a")
                + EnvelopeEncryption.dataCiphertextBytes(SIZE));
    assertThat(read.digest()).isEqualTo(written.digest());
  }
}
