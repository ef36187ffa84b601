package io.kanbu.backup.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.PipelineStage;
import io.kanbu.backup.core.pipeline.StreamingEncryptStage;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class BackupVerifierTest {

  static final Argon2idParameters FAST = new Argon2idParameters(1024, 1, 1);
  static final KeyringEntry KEY_A = KeyringEntry.of("primary", "correct horse battery staple");
  static final KeyringEntry KEY_A_WRONG = KeyringEntry.of("primary", "wrong horse");
  static final String KEY = "default/database/kanbu_backup_2026-11-26T03-00-00_0b6f3c2e.sql.gz.enc";

  @TempDir Path tmp;

  final UUID backupId = UUID.randomUUID();

  /** About 3.5 MiB of mostly incompressible data: four encryption segments. */
  static byte[] dump() {
    byte[] data = new byte[3_500_000];
    new Random(42).nextBytes(data);
    byte[] text = "INSERT INTO widget VALUES (1, 'x');\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 200_000; i += text.length) {
      System.arraycopy(text, 0, data, i, text.length);
    }
    return data;
  }

  LocalStorageBackend storage() {
    return new LocalStorageBackend(tmp.resolve("store"));
  }

  EnvelopeEncryption encryption(Keyring keyring) {
    return new EnvelopeEncryption(keyring, FAST);
  }

  /** Writes a backup and its manifest as the worker does; returns what the catalog records. */
  ExpectedBackup store(StorageBackend storage, boolean encrypted) throws Exception {
    return store(storage, encrypted, Compression.gzip(6));
  }

  /**
   * {@link #store(StorageBackend, boolean)} in another compression, named as the worker names it.
   */
  ExpectedBackup store(StorageBackend storage, boolean encrypted, Compression compression)
      throws Exception {
    PipelineStage stage =
        encrypted
            ? new StreamingEncryptStage(encryption(Keyring.of(KEY_A)), backupId)
            : PipelineStage.identity();
    String key =
        KEY.replace(".sql.gz.enc", ".sql" + compression.format().suffix())
            + (encrypted ? ".enc" : "");
    BackupPipeline pipeline = new BackupPipeline(compression, stage, 64 * 1024);
    AtomicReference<PipelineResult> result = new AtomicReference<>();
    storage.put(key, out -> result.set(pipeline.run(new ByteArrayInputStream(dump()), out)));
    PipelineResult r = result.get();
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            backupId,
            UUID.randomUUID(),
            "default",
            "database",
            Instant.now(),
            "test",
            key.substring(key.lastIndexOf('/') + 1),
            "16.4",
            "16.4",
            new BackupManifest.Sizes(r.rawBytes(), r.compressedBytes(), r.storedBytes()),
            r.sha256Compressed(),
            r.sha256Stored(),
            compression.format().id(),
            encrypted
                ? new BackupManifest.Encryption(
                    1, "primary", EnvelopeEncryption.DATA_CIPHER, 1 << 20)
                : null,
            BackupManifest.RowCounts.off(),
            null);
    byte[] json = new ManifestCodec().encode(manifest);
    storage.put(BackupManifest.keyFor(key), out -> out.write(json));
    return new ExpectedBackup(
        backupId,
        key,
        BackupManifest.keyFor(key),
        r.rawBytes(),
        r.compressedBytes(),
        r.storedBytes(),
        r.sha256Compressed(),
        r.sha256Stored(),
        encrypted,
        compression.format());
  }

  Path file(String key) {
    return tmp.resolve("store").resolve(key);
  }

  void rewrite(String key, java.util.function.UnaryOperator<byte[]> change) throws IOException {
    Files.write(file(key), change.apply(Files.readAllBytes(file(key))));
  }

  @Test
  void goodEncryptedBackup_verifies_afterReadingEveryStoredByte() throws Exception {
    LocalStorageBackend local = storage();
    ExpectedBackup expected = store(local, true);
    AtomicLong bytesRead = new AtomicLong();
    StorageBackend counting = new CountingStorage(local, bytesRead);

    BackupVerifier.Verified verified =
        new BackupVerifier(encryption(Keyring.of(KEY_A))).verify(counting, expected);

    assertThat(verified.rawBytes()).isEqualTo(dump().length);
    assertThat(verified.manifest()).isTrue();
    assertThat(bytesRead.get()).isEqualTo(Files.size(file(KEY))).isGreaterThan(3_000_000L);
  }

  @ParameterizedTest(name = "{0}, encrypted {1}")
  @CsvSource({"GZIP,false", "GZIP,true", "ZSTD,false", "ZSTD,true", "NONE,false", "NONE,true"})
  void everyCompression_verifies_andSaysWhatItDecompressed(
      CompressionFormat format, boolean encrypted) throws Exception {
    ExpectedBackup expected =
        store(storage(), encrypted, new Compression(format, format.defaultLevel(), 2));
    List<String> details = new ArrayList<>();

    BackupVerifier.Verified verified =
        new BackupVerifier(encryption(Keyring.of(KEY_A)))
            .verify(storage(), expected, (check, detail) -> details.add(check + ": " + detail));

    assertThat(expected.objectKey()).endsWith(".sql" + format.suffix() + (encrypted ? ".enc" : ""));
    assertThat(verified.rawBytes()).isEqualTo(dump().length);
    assertThat(details)
        .last()
        .asString()
        .contains(
            format == CompressionFormat.NONE
                ? "not compressed, " + dump().length + " bytes"
                : format.id() + " stream complete, " + dump().length + " bytes uncompressed");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = CompressionFormat.class,
      names = {"GZIP", "ZSTD"})
  void aCorruptedBlock_ofABackupWithoutRecord_failsTheDecompressionCheck(CompressionFormat format)
      throws Exception {
    // without a recorded digest (a lone file in the CLI) only the format's own checks can tell
    ExpectedBackup recorded =
        store(storage(), false, new Compression(format, format.defaultLevel(), 2));
    rewrite(recorded.objectKey(), b -> flip(b, b.length / 2));

    assertThatThrownBy(
            () ->
                new BackupVerifier(encryption(Keyring.empty()))
                    .verify(
                        storage(),
                        ExpectedBackup.unrecorded(backupId, recorded.objectKey(), false, format)))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.DECOMPRESSION))
        .hasMessageContaining("the " + format.id() + " stream of '" + recorded.objectKey())
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void flippedByteInTheMiddle_failsTheStoredSha256Check() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    rewrite(KEY, b -> flip(b, b.length / 2));

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.of(KEY_A))).verify(storage(), expected))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.STORED_SHA256))
        .hasMessageStartingWith("stored sha256 check failed")
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void flippedLastByte_isDetected_soVerificationReadsToTheEnd() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    rewrite(KEY, b -> flip(b, b.length - 1));

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.of(KEY_A))).verify(storage(), expected))
        .isInstanceOf(VerificationFailedException.class)
        .hasMessageStartingWith("stored sha256 check failed");
  }

  @Test
  void truncatedObject_failsTheStoredSha256Check() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    rewrite(KEY, b -> Arrays.copyOf(b, b.length - 1000));

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.of(KEY_A))).verify(storage(), expected))
        .isInstanceOf(VerificationFailedException.class)
        .hasMessageStartingWith("stored sha256 check failed")
        .hasMessageContaining((expected.storedSize() - 1000) + " bytes");
  }

  @Test
  void truncatedWhenWritten_soTheCatalogDigestMatches_failsDecompression() throws Exception {
    // an unencrypted backup cut short before it was recorded: the stored digest agrees with the
    // catalog, only reading the gzip stream to its end shows the damage
    ExpectedBackup good = store(storage(), false);
    byte[] cut = Arrays.copyOf(Files.readAllBytes(file(good.objectKey())), 2_000_000);
    Files.write(file(good.objectKey()), cut);
    String cutSha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(cut));
    ExpectedBackup expected =
        new ExpectedBackup(
            backupId,
            good.objectKey(),
            null,
            good.rawSize(),
            cut.length,
            cut.length,
            cutSha,
            cutSha,
            false,
            CompressionFormat.GZIP);

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.empty())).verify(storage(), expected))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.DECOMPRESSION))
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void wrongKey_failsTheDecryptionCheck_sayingWrongKey() throws Exception {
    ExpectedBackup expected = store(storage(), true);

    assertThatThrownBy(
            () ->
                new BackupVerifier(encryption(Keyring.of(KEY_A_WRONG))).verify(storage(), expected))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.DECRYPTION))
        .hasMessageStartingWith("decryption check failed: wrong key");
  }

  @Test
  void missingKey_failsTheDecryptionCheck_namingTheSettingToSet() throws Exception {
    ExpectedBackup expected = store(storage(), true);

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.empty())).verify(storage(), expected))
        .isInstanceOf(VerificationFailedException.class)
        .hasMessageStartingWith("decryption check failed: no encryption key configured")
        .hasMessageContaining("BACKUP_ENCRYPTION_KEY");
  }

  @Test
  void handEditedManifest_failsTheManifestCheck_namingTheManifest() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    rewrite(
        expected.manifestKey(),
        b ->
            new String(b, StandardCharsets.UTF_8)
                .replace("\"16.4\"", "\"16.5\"")
                .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.of(KEY_A))).verify(storage(), expected))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.MANIFEST))
        .hasMessageContaining("manifest checksum mismatch")
        .hasMessageContaining(expected.manifestKey());
  }

  @Test
  void missingObject_failsTheObjectCheck() throws Exception {
    ExpectedBackup expected = store(storage(), false);
    Files.delete(file(expected.objectKey()));

    assertThatThrownBy(
            () -> new BackupVerifier(encryption(Keyring.empty())).verify(storage(), expected))
        .isInstanceOf(VerificationFailedException.class)
        .hasMessageStartingWith("object check failed")
        .hasMessageContaining("missing");
  }

  @Test
  void listener_hearsEveryCheckInOrder_whenAllPass() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    List<VerificationCheck> heard = new java.util.ArrayList<>();

    new BackupVerifier(encryption(Keyring.of(KEY_A)))
        .verify(storage(), expected, (check, detail) -> heard.add(check));

    assertThat(heard).containsExactly(VerificationCheck.values());
  }

  @Test
  void listener_hearsOnlyTheChecksBeforeTheOneThatFailed() throws Exception {
    ExpectedBackup expected = store(storage(), true);
    List<VerificationCheck> heard = new java.util.ArrayList<>();

    assertThatThrownBy(
            () ->
                new BackupVerifier(encryption(Keyring.of(KEY_A_WRONG)))
                    .verify(storage(), expected, (check, detail) -> heard.add(check)))
        .isInstanceOf(VerificationFailedException.class);
    // the stored bytes were read to their end and match: that needs no key
    assertThat(heard)
        .containsExactly(
            VerificationCheck.MANIFEST, VerificationCheck.OBJECT, VerificationCheck.STORED_SHA256);
  }

  @Test
  void unrecordedBackup_decryptsAndDecompressesToTheEnd_andReportsTheDigestsItComputed()
      throws Exception {
    ExpectedBackup recorded = store(storage(), true);
    List<String> details = new java.util.ArrayList<>();

    BackupVerifier.Verified verified =
        new BackupVerifier(encryption(Keyring.of(KEY_A)))
            .verify(
                storage(),
                ExpectedBackup.unrecorded(
                    backupId, recorded.objectKey(), true, CompressionFormat.GZIP),
                (check, detail) -> details.add(check.label() + ": " + detail));

    assertThat(verified.rawBytes()).isEqualTo(dump().length);
    assertThat(verified.manifest()).isFalse();
    assertThat(details)
        .contains(
            "stored sha256: "
                + recorded.storedSize()
                + " bytes, sha256 "
                + recorded.sha256Stored()
                + " (nothing recorded to compare with)");
  }

  @Test
  void unrecordedBackup_truncatedAtTheEnd_stillFailsDecryption() throws Exception {
    ExpectedBackup recorded = store(storage(), true);
    rewrite(KEY, b -> Arrays.copyOf(b, b.length - 100));

    assertThatThrownBy(
            () ->
                new BackupVerifier(encryption(Keyring.of(KEY_A)))
                    .verify(
                        storage(),
                        ExpectedBackup.unrecorded(backupId, KEY, true, CompressionFormat.GZIP)))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.DECRYPTION))
        .hasMessageContaining("corrupted or truncated at segment 3");
  }

  static byte[] flip(byte[] data, int offset) {
    byte[] copy = data.clone();
    copy[offset] ^= 0x01;
    return copy;
  }

  /** Counts the bytes callers read from opened objects. */
  record CountingStorage(StorageBackend delegate, AtomicLong read) implements StorageBackend {
    @Override
    public io.kanbu.backup.core.storage.StoredObject put(
        String key, io.kanbu.backup.core.storage.StreamWriter writer) {
      return delegate.put(key, writer);
    }

    @Override
    public io.kanbu.backup.core.storage.StoredObject replace(
        String key, io.kanbu.backup.core.storage.StreamWriter writer) {
      return delegate.replace(key, writer);
    }

    @Override
    public InputStream open(String key) {
      InputStream in = delegate.open(key);
      if (key.endsWith(BackupManifest.KEY_SUFFIX)) {
        return in;
      }
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            read.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          if (n > 0) {
            read.addAndGet(n);
          }
          return n;
        }
      };
    }

    @Override
    public java.util.Optional<io.kanbu.backup.core.storage.StoredObject> stat(String key) {
      return delegate.stat(key);
    }

    @Override
    public List<io.kanbu.backup.core.storage.StoredObject> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public io.kanbu.backup.core.storage.StorageCapabilities capabilities() {
      return delegate.capabilities();
    }
  }
}
