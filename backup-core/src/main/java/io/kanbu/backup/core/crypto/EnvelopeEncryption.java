package io.kanbu.backup.core.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption of backups: the encrypting and decrypting transforming stages, header
 * inspection and key rotation. Format: {@code docs/backup-format.md}.
 *
 * <p>Every backup gets a fresh random 256-bit data key. The data is encrypted with Tink's streaming
 * AEAD AES-256-GCM-HKDF-SHA256 with 1 MiB ciphertext segments (the parameters of Tink's {@code
 * AES256_GCM_HKDF_1MB} template) and the backup id as associated data, so memory stays bounded (one
 * segment) and every segment is authenticated before its plaintext is released. The data key is
 * wrapped (AES-256-GCM) by a key derived from the primary key of the {@link Keyring}.
 *
 * <p>Thread-safe; one instance serves any number of concurrent backups.
 */
public final class EnvelopeEncryption {

  /** The version of the file format this class writes ({@code docs/backup-format.md}). */
  public static final int FORMAT_VERSION = HeaderCodec.VERSION;

  /** Name of the data cipher in manifests and messages. */
  public static final String DATA_CIPHER = "AES256_GCM_HKDF_1MB";

  /** Tink ciphertext segment size. */
  public static final int CIPHERTEXT_SEGMENT_BYTES = 1 << 20;

  /** Length of Tink's stream header for a 32-byte key: 1 + 32 (salt) + 7 (nonce prefix). */
  public static final int STREAM_HEADER_BYTES = 40;

  static final int TAG_BYTES = 16;

  /** Plaintext bytes in segment 0 (it shares its 1 MiB with the 40-byte stream header). */
  public static final int FIRST_SEGMENT_PLAINTEXT_BYTES =
      CIPHERTEXT_SEGMENT_BYTES - TAG_BYTES - STREAM_HEADER_BYTES;

  /** Plaintext bytes in every later full segment. */
  public static final int SEGMENT_PLAINTEXT_BYTES = CIPHERTEXT_SEGMENT_BYTES - TAG_BYTES;

  private static final AesGcmHkdfStreamingParameters DATA_PARAMETERS = dataParameters();

  private final Keyring keyring;
  private final Argon2idParameters argon2idParameters;
  private final SecureRandom random;
  private @Nullable PrimaryWrapping primaryWrapping;

  /** Uses {@link Argon2idParameters#DEFAULT} for passphrase keys. */
  public EnvelopeEncryption(Keyring keyring) {
    this(keyring, Argon2idParameters.DEFAULT);
  }

  /**
   * @param keyring the keys; its primary key wraps new backups
   * @param argon2idParameters Argon2id cost for new backups wrapped by a passphrase
   */
  public EnvelopeEncryption(Keyring keyring, Argon2idParameters argon2idParameters) {
    this.keyring = keyring;
    this.argon2idParameters = argon2idParameters;
    this.random = new SecureRandom();
  }

  /** The id of the key that wraps new backups, if the keyring has a primary key. */
  public Optional<String> primaryKeyId() {
    return keyring.primary().map(KeyringEntry::id);
  }

  /** True when the keyring has a primary key, i.e. new backups can be encrypted. */
  public boolean canEncrypt() {
    return keyring.primary().isPresent();
  }

  /**
   * Starts an encrypted backup: writes the header to {@code sink} at once and returns the stream
   * that takes the plaintext. Closing the returned stream writes the final segment and closes
   * {@code sink}; a stream that is not closed leaves an invalid (truncated) file. Memory use is
   * bounded by one 1 MiB segment.
   *
   * @throws IllegalStateException if the keyring has no primary key
   */
  public OutputStream encrypt(OutputStream sink, UUID backupId) throws IOException {
    byte[] dataKey = new byte[KeyDerivation.KEY_BYTES];
    random.nextBytes(dataKey);
    try {
      EncryptionHeader header = wrapUnderPrimary(backupId, dataKey);
      sink.write(header.encoded());
      return streamingAead(dataKey).newEncryptingStream(sink, associatedData(backupId));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unable to set up the data cipher", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Opens an encrypted backup for reading. The header checks run before this method returns: magic
   * and version, header checksum, backup id, key lookup, key check, header authentication. The
   * returned stream releases a segment's plaintext only after that segment authenticated; a damaged
   * or truncated segment makes {@code read} throw {@link SegmentAuthenticationException} naming it.
   * A caller must still read to end of stream before treating the data as complete: truncation is
   * detected at the end.
   *
   * @param source positioned at the first header byte; closed when the returned stream is closed
   * @param backupId the backup the caller expects (it is the data's associated data)
   * @throws DecryptionException naming the failed check
   */
  public InputStream decrypt(InputStream source, UUID backupId) throws IOException {
    EncryptionHeader header = HeaderCodec.read(source);
    if (!header.backupId().equals(backupId)) {
      throw new BackupIdMismatchException(
          "backup id mismatch: the file is backup '"
              + header.backupId()
              + "' but backup '"
              + backupId
              + "' was requested");
    }
    byte[] dataKey = unwrapDataKey(header);
    try {
      FailureRecordingInputStream recording = new FailureRecordingInputStream(source);
      InputStream plaintext =
          streamingAead(dataKey).newDecryptingStream(recording, associatedData(backupId));
      return new SegmentCheckedInputStream(plaintext, recording);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unable to set up the data cipher", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Reads and checks (magic, version, checksum, structure) the header without any key, leaving
   * {@code source} positioned at the first byte of the Tink ciphertext stream.
   */
  public static EncryptionHeader readHeader(InputStream source) throws IOException {
    return HeaderCodec.read(source);
  }

  /**
   * Re-wraps the data key of a backup under the primary key. Reads only the header from {@code
   * source} (leaving it at the first byte of the data) and returns the new header; the data after
   * the header needs no change: write {@link EncryptionHeader#encoded()} followed by the unchanged
   * remaining bytes. The new header may have another length than the old one.
   *
   * @throws DecryptionException if the old header cannot be unwrapped with this keyring
   * @throws IllegalStateException if the keyring has no primary key
   */
  public EncryptionHeader rewrapHeader(InputStream source) throws IOException {
    return rewrapHeader(HeaderCodec.read(source));
  }

  /**
   * Re-wraps the data key of a header already read (e.g. by {@link #readHeader}, so that a caller
   * can look at the old header before deciding) under the primary key, and returns the new header
   * for the same backup id.
   *
   * @throws DecryptionException if the old header cannot be unwrapped with this keyring
   * @throws IllegalStateException if the keyring has no primary key
   */
  public EncryptionHeader rewrapHeader(EncryptionHeader old) throws DecryptionException {
    byte[] dataKey = unwrapDataKey(old);
    try {
      return wrapUnderPrimary(old.backupId(), dataKey);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Copies a backup to {@code sink} with its data key re-wrapped under the primary key: the new
   * header, then the remaining bytes of {@code source} unchanged. Neither stream is closed.
   *
   * @return the new header
   */
  public EncryptionHeader rekey(InputStream source, OutputStream sink) throws IOException {
    EncryptionHeader header = rewrapHeader(source);
    sink.write(header.encoded());
    source.transferTo(sink);
    return header;
  }

  /**
   * Runs the key checks a decryption runs on a header already read (key lookup, key check value,
   * unwrap of the data key, which authenticates the header) without touching the data: proves that
   * this keyring opens the backup.
   *
   * @throws DecryptionException naming the failed check
   */
  public void checkUnwraps(EncryptionHeader header) throws DecryptionException {
    Arrays.fill(unwrapDataKey(header), (byte) 0);
  }

  /** True when the header's key id is the primary key's: a rekey would change nothing. */
  public boolean isWrappedByPrimary(EncryptionHeader header) {
    return keyring.primary().map(p -> p.id().equals(header.keyId())).orElse(false);
  }

  /** The Tink data stream's exact ciphertext length for a plaintext length (no header). */
  public static long dataCiphertextBytes(long plaintextBytes) {
    long withHeader = plaintextBytes + STREAM_HEADER_BYTES;
    long fullSegments = withHeader / SEGMENT_PLAINTEXT_BYTES;
    long rest = withHeader % SEGMENT_PLAINTEXT_BYTES;
    return fullSegments * CIPHERTEXT_SEGMENT_BYTES + (rest > 0 ? rest + TAG_BYTES : 0);
  }

  /**
   * Brings AES-GCM close to full speed in this JVM and returns the time it took. The JDK runs
   * AES-GCM interpreted (about 25 MiB/s on the 2-core build VM) until C2 compiles its GCM
   * intrinsic, which takes a few thousand cipher calls on inputs of 8 KiB or more; with 1 MiB
   * segments a fresh JVM spends the first 0.5 to 1 GiB of a backup there (measured: 512 MiB at ~28
   * MiB/s, then ~1.5 GiB/s). This method makes those calls on 16 KiB segments through the same Tink
   * code path (80 MiB encrypted, 80 MiB decrypted, about 2-3 s, under 10 MiB of memory; afterwards
   * ~550-900 MiB/s from the first byte). Call it once at application start, e.g. on a background
   * thread; it is optional and has no other effect. It uses its own throw-away random key.
   */
  public static java.time.Duration warmUp() {
    long start = System.nanoTime();
    try {
      byte[] key = new byte[KeyDerivation.KEY_BYTES];
      new SecureRandom().nextBytes(key);
      StreamingAead small = new AesGcmHkdfStreaming(key, "HmacSha256", 32, 16 * 1024, 0);
      byte[] associatedData = new byte[0];
      byte[] chunk = new byte[64 * 1024];
      // Encrypt: 80 MiB in about 5 000 segments, to a null sink.
      try (OutputStream out =
          small.newEncryptingStream(OutputStream.nullOutputStream(), associatedData)) {
        for (int i = 0; i < 1280; i++) {
          out.write(chunk);
        }
      }
      // Decrypt: 8 MiB of ciphertext, ten times over, to stay small in memory.
      java.io.ByteArrayOutputStream ciphertext = new java.io.ByteArrayOutputStream(9 << 20);
      try (OutputStream out = small.newEncryptingStream(ciphertext, associatedData)) {
        for (int i = 0; i < 128; i++) {
          out.write(chunk);
        }
      }
      byte[] sealed = ciphertext.toByteArray();
      for (int round = 0; round < 10; round++) {
        try (InputStream in =
            small.newDecryptingStream(new java.io.ByteArrayInputStream(sealed), associatedData)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("AES-GCM warm-up failed", e);
    }
    return java.time.Duration.ofNanos(System.nanoTime() - start);
  }

  private EncryptionHeader wrapUnderPrimary(UUID backupId, byte[] dataKey) {
    PrimaryWrapping wrapping = primaryWrapping();
    byte[] nonce = new byte[HeaderCodec.WRAP_NONCE_BYTES];
    random.nextBytes(nonce);
    return HeaderCodec.encode(
        backupId,
        wrapping.keyId(),
        wrapping.spec(),
        wrapping.keyCheck(),
        nonce,
        associated ->
            wrapCipher(Cipher.ENCRYPT_MODE, wrapping.wrappingKey(), nonce, associated, dataKey));
  }

  // The Argon2id derivation costs ~0.1-0.5 s, so one salt and key-encryption key serve every
  // backup this instance wraps; each backup still has its own data key and random wrap nonce.
  private synchronized PrimaryWrapping primaryWrapping() {
    if (primaryWrapping == null) {
      KeyringEntry primary =
          keyring
              .primary()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no primary encryption key: set " + Keyring.ENV_KEY + " to encrypt"));
      KeyDerivationSpec spec;
      if (primary.isRawKey()) {
        spec = new KeyDerivationSpec.RawKey();
      } else {
        byte[] salt = new byte[HeaderCodec.SALT_BYTES];
        random.nextBytes(salt);
        spec = new KeyDerivationSpec.Argon2id(argon2idParameters, salt);
      }
      byte[] kek = KeyDerivation.keyEncryptionKey(primary, spec);
      primaryWrapping =
          new PrimaryWrapping(
              primary.id(), spec, KeyDerivation.keyCheck(kek), KeyDerivation.wrappingKey(kek));
      Arrays.fill(kek, (byte) 0);
    }
    return primaryWrapping;
  }

  private byte[] unwrapDataKey(EncryptionHeader header) throws DecryptionException {
    String keyId = header.keyId();
    if (keyring.isEmpty()) {
      throw new NoKeyConfiguredException(
          "no encryption key configured: this backup needs key '"
              + keyId
              + "'; set "
              + Keyring.ENV_KEY
              + " or add it to "
              + Keyring.ENV_OLD_KEYS);
    }
    KeyringEntry entry =
        keyring
            .find(keyId)
            .orElseThrow(
                () ->
                    new UnknownKeyIdException(
                        "no key '"
                            + keyId
                            + "' in the keyring (it has "
                            + keyring.ids()
                            + "); add it to "
                            + Keyring.ENV_OLD_KEYS));
    boolean headerWantsRawKey = header.keyDerivation() instanceof KeyDerivationSpec.RawKey;
    if (headerWantsRawKey != entry.isRawKey()) {
      throw new WrongKeyException(
          "wrong key: key '"
              + keyId
              + "' in the keyring is a "
              + (entry.isRawKey() ? "raw 256-bit key" : "passphrase")
              + " but this backup was wrapped with a "
              + (headerWantsRawKey ? "raw 256-bit key (64 hex characters)" : "passphrase"));
    }
    byte[] kek = KeyDerivation.keyEncryptionKey(entry, header.keyDerivation());
    try {
      if (!KeyDerivation.keyCheckMatches(kek, header.keyCheck())) {
        throw new WrongKeyException(
            "wrong key: key '"
                + keyId
                + "' in the keyring is not the key this backup was encrypted with (key check"
                + " value mismatch)");
      }
      byte[] wrappingKey = KeyDerivation.wrappingKey(kek);
      try {
        return wrapCipher(
            Cipher.DECRYPT_MODE,
            wrappingKey,
            header.wrapNonce(),
            header.wrapAssociatedData(),
            header.wrappedDataKey());
      } catch (WrapAuthenticationFailed e) {
        throw new HeaderAuthenticationException(
            "header authentication failed: key '"
                + keyId
                + "' is right, but the wrapped data key or the header fields it authenticates"
                + " were altered");
      } finally {
        Arrays.fill(wrappingKey, (byte) 0);
      }
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private static byte[] wrapCipher(
      int mode, byte[] key, byte[] nonce, byte[] associatedData, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new WrapAuthenticationFailed();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not usable in this JVM", e);
    }
  }

  /** Tink AAD of the data stream: the backup id's canonical string form in UTF-8 (36 bytes). */
  static byte[] associatedData(UUID backupId) {
    return backupId.toString().getBytes(StandardCharsets.UTF_8);
  }

  static StreamingAead streamingAead(byte[] dataKey) throws GeneralSecurityException {
    return AesGcmHkdfStreaming.create(
        AesGcmHkdfStreamingKey.create(
            DATA_PARAMETERS, SecretBytes.copyFrom(dataKey, InsecureSecretKeyAccess.get())));
  }

  static AesGcmHkdfStreamingParameters dataParameters() {
    try {
      return AesGcmHkdfStreamingParameters.builder()
          .setKeySizeBytes(KeyDerivation.KEY_BYTES)
          .setDerivedAesGcmKeySizeBytes(KeyDerivation.KEY_BYTES)
          .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
          .setCiphertextSegmentSizeBytes(CIPHERTEXT_SEGMENT_BYTES)
          .build();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private record PrimaryWrapping(
      String keyId, KeyDerivationSpec spec, byte[] keyCheck, byte[] wrappingKey) {}

  private static final class WrapAuthenticationFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrapAuthenticationFailed() {
      super(null, null, false, false);
    }
  }
}
