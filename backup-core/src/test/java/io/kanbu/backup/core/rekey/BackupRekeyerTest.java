package io.kanbu.backup.core.rekey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.crypto.Argon2idParameters;
import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.crypto.UnknownKeyIdException;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.StreamingEncryptStage;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.VerificationCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRekeyerTest {

  static final Argon2idParameters FAST = new Argon2idParameters(1024, 1, 1);
  static final KeyringEntry OLD = KeyringEntry.of("old-2025", "the old passphrase");
  static final KeyringEntry NEW =
      KeyringEntry.of(
          "new-2026", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  static final String KEY = "default/database/kanbu_backup_2026-11-26T03-00-00_1a2b3c4d.sql.gz.enc";

  @TempDir java.nio.file.Path tmp;

  final UUID backupId = UUID.randomUUID();
  final ManifestCodec codec = new ManifestCodec();

  /** A backup of 2.5 MiB of random data (three segments) under the old key, and its manifest. */
  record Stored(byte[] object, BackupManifest manifest) {}

  Stored storeUnderOldKey() throws IOException {
    byte[] dump = new byte[2_500_000];
    new Random(7).nextBytes(dump);
    EnvelopeEncryption old = new EnvelopeEncryption(Keyring.of(OLD), FAST);
    BackupPipeline pipeline =
        new BackupPipeline(
            Compression.gzip(1), new StreamingEncryptStage(old, backupId), 64 * 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PipelineResult r = pipeline.run(new ByteArrayInputStream(dump), out);
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            backupId,
            UUID.randomUUID(),
            "default",
            "database",
            Instant.parse("2026-11-26T03:00:41Z"),
            "test",
            "kanbu_backup_2026-11-26T03-00-00_1a2b3c4d.sql.gz.enc",
            "16.4",
            "16.4",
            new BackupManifest.Sizes(r.rawBytes(), r.compressedBytes(), r.storedBytes()),
            r.sha256Compressed(),
            r.sha256Stored(),
            "gzip",
            new BackupManifest.Encryption(
                1,
                OLD.id(),
                EnvelopeEncryption.DATA_CIPHER,
                EnvelopeEncryption.CIPHERTEXT_SEGMENT_BYTES),
            BackupManifest.RowCounts.off(),
            null);
    return new Stored(out.toByteArray(), codec.decode(codec.encode(manifest), "m"));
  }

  BackupRekeyer rotating() {
    return new BackupRekeyer(new EnvelopeEncryption(Keyring.of(NEW, OLD), FAST));
  }

  @Test
  void rekey_keepsTheDataBytes_andReportsDigestsOfInputAndOutput() throws Exception {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    BackupRekeyer.Rekeyed rekeyed =
        rotating().rekey(new ByteArrayInputStream(stored.object()), out);

    byte[] rewritten = out.toByteArray();
    int oldHeader = header(stored.object()).length();
    int newHeader = header(rewritten).length();
    assertThat(Arrays.copyOfRange(rewritten, newHeader, rewritten.length))
        .isEqualTo(Arrays.copyOfRange(stored.object(), oldHeader, stored.object().length));
    assertThat(header(rewritten).keyId()).isEqualTo("new-2026");
    assertThat(header(rewritten).backupId()).isEqualTo(backupId);
    assertThat(rekeyed.oldKeyId()).isEqualTo("old-2025");
    assertThat(rekeyed.newKeyId()).isEqualTo("new-2026");
    assertThat(rekeyed.oldSha256Stored()).isEqualTo(sha256(stored.object()));
    assertThat(rekeyed.oldStoredBytes()).isEqualTo(stored.object().length);
    assertThat(rekeyed.sha256Stored()).isEqualTo(sha256(rewritten));
    assertThat(rekeyed.storedBytes()).isEqualTo(rewritten.length);
  }

  @Test
  void rekeyedManifest_verifiesWithOnlyTheNewKey_afterTheOldIsRemoved() throws Exception {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupRekeyer.Rekeyed rekeyed =
        rotating().rekey(new ByteArrayInputStream(stored.object()), out);

    BackupManifest manifest = BackupRekeyer.rekeyedManifest(stored.manifest(), rekeyed, "m");
    byte[] manifestJson = codec.encode(manifest);

    BackupManifest reread = codec.decode(manifestJson, "m");
    assertThat(reread.encryption().keyId()).isEqualTo("new-2026");
    assertThat(reread.sha256Stored()).isEqualTo(rekeyed.sha256Stored());
    assertThat(reread.sizes().stored()).isEqualTo(rekeyed.storedBytes());
    assertThat(reread.sha256()).isEqualTo(stored.manifest().sha256());
    assertThat(reread.createdAt()).isEqualTo(stored.manifest().createdAt());

    LocalStorageBackend storage = new LocalStorageBackend(tmp);
    storage.put(KEY, o -> o.write(out.toByteArray()));
    storage.put(BackupManifest.keyFor(KEY), o -> o.write(manifestJson));
    ExpectedBackup expected =
        new ExpectedBackup(
            backupId,
            KEY,
            BackupManifest.keyFor(KEY),
            reread.sizes().raw(),
            reread.sizes().compressed(),
            reread.sizes().stored(),
            reread.sha256(),
            reread.sha256Stored(),
            true,
            reread.compressionFormat());
    BackupVerifier onlyNew = new BackupVerifier(new EnvelopeEncryption(Keyring.of(NEW)));
    assertThat(onlyNew.verify(storage, expected).rawBytes()).isEqualTo(2_500_000);
  }

  @Test
  void rekeyedManifest_refusesAnInputThatIsNotTheObjectTheManifestRecords() throws IOException {
    Stored stored = storeUnderOldKey();
    byte[] damaged = stored.object().clone();
    damaged[damaged.length / 2] ^= 0x40; // a data byte: the rekey itself cannot notice it
    BackupRekeyer.Rekeyed rekeyed =
        rotating().rekey(new ByteArrayInputStream(damaged), new ByteArrayOutputStream());

    assertThatThrownBy(() -> BackupRekeyer.rekeyedManifest(stored.manifest(), rekeyed, "m"))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.STORED_SHA256))
        .hasMessageContaining("damaged or truncated, it was not rekeyed");
  }

  @Test
  void rekey_withoutTheOldKey_namesTheMissingKey() throws IOException {
    Stored stored = storeUnderOldKey();
    BackupRekeyer onlyNew = new BackupRekeyer(new EnvelopeEncryption(Keyring.of(NEW)));

    assertThatThrownBy(
            () ->
                onlyNew.rekey(
                    new ByteArrayInputStream(stored.object()), new ByteArrayOutputStream()))
        .isInstanceOf(UnknownKeyIdException.class)
        .hasMessageContaining("no key 'old-2025'");
  }

  @Test
  void isWrappedByPrimary_isTrueAfterTheRekey_only() throws IOException {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupRekeyer rekeyer = rotating();

    assertThat(rekeyer.isWrappedByPrimary(header(stored.object()))).isFalse();
    rekeyer.rekey(new ByteArrayInputStream(stored.object()), out);
    assertThat(rekeyer.isWrappedByPrimary(header(out.toByteArray()))).isTrue();
  }

  @Test
  void rekeyAgainstTheManifest_refusesADamagedInput_afterTheLastByte() throws IOException {
    Stored stored = storeUnderOldKey();
    byte[] damaged = stored.object().clone();
    damaged[damaged.length - 100] ^= 0x01;

    assertThatThrownBy(
            () ->
                rotating()
                    .rekey(
                        new ByteArrayInputStream(damaged),
                        new ByteArrayOutputStream(),
                        stored.manifest(),
                        "m"))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.STORED_SHA256));
  }

  @Test
  void repair_ofAnObjectRekeyedBeforeItsManifest_givesTheManifestTheRekeyWouldHaveWritten()
      throws IOException {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupRekeyer rekeyer = rotating();
    BackupRekeyer.Rewritten rewritten =
        rekeyer.rekey(new ByteArrayInputStream(stored.object()), out, stored.manifest(), "m");

    BackupRekeyer.Repaired repaired =
        rekeyer.repair(new ByteArrayInputStream(out.toByteArray()), stored.manifest(), "m");

    assertThat(repaired.manifestChanged()).isTrue();
    assertThat(repaired.manifest()).isEqualTo(rewritten.manifest());
    assertThat(repaired.sha256Stored()).isEqualTo(rewritten.rekeyed().sha256Stored());
    assertThat(repaired.storedBytes()).isEqualTo(out.size());
  }

  @Test
  void repair_whenTheManifestIsCurrentAlready_checksTheObjectAgainstIt() throws IOException {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupRekeyer rekeyer = rotating();
    BackupManifest current =
        codec.decode(
            codec.encode(
                rekeyer
                    .rekey(new ByteArrayInputStream(stored.object()), out, stored.manifest(), "m")
                    .manifest()),
            "m");
    byte[] rekeyed = out.toByteArray();

    BackupRekeyer.Repaired repaired =
        rekeyer.repair(new ByteArrayInputStream(rekeyed), current, "m");
    assertThat(repaired.manifestChanged()).isFalse();
    assertThat(repaired.sha256Stored()).isEqualTo(current.sha256Stored());

    byte[] damaged = rekeyed.clone();
    damaged[damaged.length / 2] ^= 0x01;
    assertThatThrownBy(() -> rekeyer.repair(new ByteArrayInputStream(damaged), current, "m"))
        .isInstanceOfSatisfying(
            VerificationFailedException.class,
            e -> assertThat(e.check()).isEqualTo(VerificationCheck.STORED_SHA256));
  }

  @Test
  void repair_ofATruncatedObject_isRefused_andOfOneNotWrappedByThePrimary_too() throws IOException {
    Stored stored = storeUnderOldKey();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupRekeyer rekeyer = rotating();
    rekeyer.rekey(new ByteArrayInputStream(stored.object()), out);
    byte[] truncated = Arrays.copyOf(out.toByteArray(), out.size() - 1);

    assertThatThrownBy(
            () -> rekeyer.repair(new ByteArrayInputStream(truncated), stored.manifest(), "m"))
        .isInstanceOf(VerificationFailedException.class)
        .hasMessageContaining("damaged or truncated");
    assertThatThrownBy(
            () -> rekeyer.repair(new ByteArrayInputStream(stored.object()), stored.manifest(), "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rekey it instead");
  }

  static EncryptionHeader header(byte[] object) throws IOException {
    return EnvelopeEncryption.readHeader(new ByteArrayInputStream(object));
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
