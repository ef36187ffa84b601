package io.kanbu.backup.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;

/** Keys, data and small stream helpers shared by the crypto tests. */
final class CryptoFixtures {

  static final String HEX_KEY_A =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  static final String HEX_KEY_B =
      "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
  static final String PASSPHRASE = "tr0ub4dor & correct:horse battery";

  /** Cheap Argon2id cost so that passphrase tests stay fast; the format test covers DEFAULT. */
  static final Argon2idParameters FAST_ARGON2 = new Argon2idParameters(1024, 1, 1);

  private CryptoFixtures() {}

  static Keyring keyringA() {
    return Keyring.of(KeyringEntry.of("key-a", HEX_KEY_A));
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; ) {
      long value = random.nextLong();
      for (int j = 0; j < 8 && i < size; j++, i++) {
        data[i] = (byte) (value >>> (8 * j));
      }
    }
    return data;
  }

  static byte[] encrypt(EnvelopeEncryption encryption, UUID backupId, byte[] plaintext)
      throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = encryption.encrypt(sink, backupId)) {
      out.write(plaintext);
    }
    return sink.toByteArray();
  }

  static byte[] decrypt(EnvelopeEncryption encryption, UUID backupId, byte[] ciphertext)
      throws IOException {
    try (InputStream in = encryption.decrypt(new ByteArrayInputStream(ciphertext), backupId)) {
      return in.readAllBytes();
    }
  }

  /**
   * Reads the decrypting stream until it fails, collecting every byte it released before the
   * failure, in reads of odd sizes.
   */
  static Drained drainUntilFailure(InputStream in) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[7919];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        received.write(buffer, 0, n);
      }
      return new Drained(received.toByteArray(), null);
    } catch (IOException e) {
      return new Drained(received.toByteArray(), e);
    }
  }

  record Drained(byte[] released, IOException failure) {}

  static byte[] flipBit(byte[] data, int offset, int bit) {
    byte[] copy = data.clone();
    copy[offset] ^= (byte) (1 << bit);
    return copy;
  }

  static byte[] truncate(byte[] data, int length) {
    return Arrays.copyOf(data, length);
  }

  /** Pseudo-random bytes generated on the fly: {@code size} bytes, never held in memory. */
  static final class PseudoRandomInputStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;

    PseudoRandomInputStream(long size, long seed) {
      this.random = new SplittableRandom(seed);
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        long value = random.nextLong();
        for (int j = 0; j < 8; j++) {
          b[off + i + j] = (byte) (value >>> (8 * j));
        }
      }
      for (; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }

  /** Hands out at most {@code maxChunk} bytes per read, to exercise buffer boundaries. */
  static final class TricklingInputStream extends InputStream {
    private final InputStream in;
    private final int maxChunk;

    TricklingInputStream(InputStream in, int maxChunk) {
      this.in = in;
      this.maxChunk = maxChunk;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, Math.min(len, maxChunk));
    }
  }

  /** Counts and discards. */
  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
