package io.kanbu.backup.cli;

import static io.kanbu.backup.cli.CliFixtures.HEX_KEY_A;
import static io.kanbu.backup.cli.CliFixtures.LEGACY_FIXTURES;
import static io.kanbu.backup.cli.CliFixtures.PASSPHRASE_B;
import static io.kanbu.backup.cli.CliFixtures.file;
import static io.kanbu.backup.cli.CliFixtures.run;
import static io.kanbu.backup.cli.CliFixtures.sha256;
import static io.kanbu.backup.cli.CliFixtures.sourceBackup;
import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.cli.CliFixtures.Run;
import io.kanbu.backup.core.SourceBackupOutcome;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.KeyringEntry;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI in-process through {@code CommandLine.execute}, on files made by the core pipeline. */
class OfflineCliTest {

  static final KeyringEntry KEY_A = KeyringEntry.of("ops-2025", HEX_KEY_A);
  static final Map<String, String> ENV_A = Map.of("BACKUP_ENCRYPTION_KEY", HEX_KEY_A);
  static final Map<String, String> NO_KEYS = Map.of();

  /** Key B is the new primary; key A, which wrapped the backups, is an old key. */
  static final Map<String, String> ROTATING =
      Map.of(
          "BACKUP_ENCRYPTION_KEY",
          PASSPHRASE_B,
          "BACKUP_ENCRYPTION_KEY_ID",
          "ops-2026",
          "BACKUP_ENCRYPTION_OLD_KEYS",
          "ops-2025:" + HEX_KEY_A);

  @TempDir Path dir;

  @Test
  void inspect_showsHeaderAndCheckedManifest_withoutAnyKey() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(NO_KEYS, "inspect", file(dir, backup).toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("format:          kanbu encrypted backup")
        .contains("backup id:       " + backup.manifest().backupId())
        .contains("key id:          ops-2025")
        .contains("key derivation:  none: raw 256-bit key")
        .contains("(self-checksum ok)")
        .contains("sha256 stored: " + backup.pipeline().sha256Stored())
        .doesNotContain(HEX_KEY_A);
  }

  @Test
  void inspectJson_isMachineReadable_andCarriesTheManifest() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(NO_KEYS, "inspect", "--json", file(dir, backup).toString());

    assertThat(r.code()).isZero();
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    assertThat(json.get("format").asString()).isEqualTo("encrypted");
    assertThat(json.get("header").get("keyId").asString()).isEqualTo("ops-2025");
    assertThat(json.get("header").get("keyDerivation").get("type").asString()).isEqualTo("raw");
    assertThat(json.get("manifest").get("status").asString()).isEqualTo("ok");
    assertThat(json.get("manifest").get("content").get("sha256").asString())
        .isEqualTo(backup.pipeline().sha256Compressed());
  }

  @Test
  void verify_withTheKey_printsEveryCheckAndExitsZero() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(ENV_A, "verify", file(dir, backup).toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("ok      manifest:")
        .contains("ok      stored sha256: " + backup.pipeline().storedBytes() + " bytes")
        .contains("ok      decryption: every segment authenticated")
        .contains("ok      plaintext sha256:")
        .contains("ok      decompression: gzip stream complete")
        .contains("verified: all 6 checks passed");
  }

  @Test
  void verify_withoutKey_provesTheStoredDigest_butExitsKeyMissing() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(NO_KEYS, "verify", file(dir, backup).toString());

    assertThat(r.code()).isEqualTo(ExitCodes.KEY_MISSING);
    assertThat(r.out())
        .contains("ok      stored sha256:")
        .contains("FAILED  decryption:")
        .contains("-       decompression: not run");
    assertThat(r.err().strip())
        .startsWith("kanbu-backup-cli: decryption check failed: no encryption key configured")
        .doesNotContain("\n");
  }

  @Test
  void wrongKey_exitsWrongKey_withOneLine() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Map<String, String> wrong =
        Map.of(
            "BACKUP_ENCRYPTION_KEY",
            HEX_KEY_A.replace('a', 'b'),
            "BACKUP_ENCRYPTION_KEY_ID",
            "ops-2025");

    Run verify = run(wrong, "verify", file(dir, backup).toString());
    Run decrypt =
        run(wrong, "decrypt", file(dir, backup).toString(), "-o", dir.resolve("o").toString());

    assertThat(verify.code()).isEqualTo(ExitCodes.WRONG_KEY);
    assertThat(decrypt.code()).isEqualTo(ExitCodes.WRONG_KEY);
    assertThat(decrypt.err()).contains("wrong key: key 'ops-2025'");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void unknownKeyId_exitsKeyMissing_namingTheId() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Map<String, String> otherId =
        Map.of("BACKUP_ENCRYPTION_KEY", HEX_KEY_A, "BACKUP_ENCRYPTION_KEY_ID", "someone-else");

    Run r =
        run(otherId, "decrypt", file(dir, backup).toString(), "-o", dir.resolve("o").toString());

    assertThat(r.code()).isEqualTo(ExitCodes.KEY_MISSING);
    assertThat(r.err()).contains("no key 'ops-2025' in the keyring");
  }

  @Test
  void decrypt_writesTheGzipWhoseDigestTheManifestRecords_andRefusesToOverwrite() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path out = dir.resolve("restored.tar.gz");

    Run r = run(ENV_A, "decrypt", file(dir, backup).toString(), "-o", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(sha256(Files.readAllBytes(out))).isEqualTo(backup.manifest().sha256());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    Run again = run(ENV_A, "decrypt", file(dir, backup).toString(), "-o", out.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.OUTPUT_EXISTS);
    assertThat(again.err()).contains("already exists").contains("--force");
    Run forced =
        run(ENV_A, "decrypt", file(dir, backup).toString(), "-o", out.toString(), "--force");
    assertThat(forced.code()).isZero();
  }

  @Test
  void decryptToStandardOutput_streamsTheSameBytes_andReportsOnStandardError() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(ENV_A, "decrypt", file(dir, backup).toString(), "-o", "-");

    assertThat(r.code()).isZero();
    assertThat(sha256(r.binary())).isEqualTo(backup.manifest().sha256());
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("to standard output");
  }

  @Test
  void corruptedByteInAMiddleSegment_failsVerifyAndDecrypt_andLeavesNoOutput() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    byte[] bytes = Files.readAllBytes(file);
    bytes[1_500_000] ^= 0x01; // segment 1 of 0..3
    Files.write(file, bytes);
    Path out = dir.resolve("out.tar.gz");

    Run verify = run(ENV_A, "verify", file.toString());
    Run decrypt = run(ENV_A, "decrypt", file.toString(), "-o", out.toString());

    assertThat(verify.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(verify.out()).contains("FAILED  stored sha256:");
    assertThat(decrypt.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(decrypt.err()).contains("ciphertext corrupted or truncated at segment 1");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("out.tar.gz");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("kanbu-tmp"))).isEmpty();
    }
  }

  @Test
  void truncatedFile_failsVerifyAndDecrypt() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 4096));
    Files.delete(file.resolveSibling(file.getFileName() + BackupManifest.KEY_SUFFIX));

    // no manifest: only decryption can tell that the end is missing
    Run verify = run(ENV_A, "verify", file.toString());
    Run decrypt = run(ENV_A, "decrypt", file.toString(), "-o", dir.resolve("o").toString());

    assertThat(verify.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(verify.out())
        .contains("no manifest")
        .contains("FAILED  decryption: ciphertext corrupted or truncated at segment 2");
    assertThat(decrypt.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void handEditedManifest_failsInspectAndVerify_asManifestInvalid() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path manifest = file(dir, backup).resolveSibling(backup.fileName() + ".manifest.json");
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"default\"", "\"production\""));

    Run inspect = run(NO_KEYS, "inspect", file(dir, backup).toString());
    Run verify = run(ENV_A, "verify", file(dir, backup).toString());

    assertThat(inspect.code()).isEqualTo(ExitCodes.MANIFEST_INVALID);
    assertThat(inspect.out()).contains("manifest:        INVALID: manifest checksum mismatch");
    assertThat(verify.code()).isEqualTo(ExitCodes.MANIFEST_INVALID);
    assertThat(verify.out()).contains("FAILED  manifest: manifest checksum mismatch");
  }

  @Test
  void plainGzipBackup_inspectsAndVerifiesWithoutKey_butIsNotDecrypted() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, null);

    Run inspect = run(NO_KEYS, "inspect", file(dir, backup).toString());
    Run verify = run(NO_KEYS, "verify", file(dir, backup).toString());
    Run decrypt =
        run(NO_KEYS, "decrypt", file(dir, backup).toString(), "-o", dir.resolve("o").toString());

    assertThat(inspect.out())
        .contains("format:          gzip, not encrypted")
        .contains("compression:     gzip (manifest)");
    assertThat(verify.code()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("verified: all 5 checks passed");
    assertThat(decrypt.code()).isEqualTo(ExitCodes.NOT_A_BACKUP);
    assertThat(decrypt.err()).contains("is not encrypted");
  }

  @ParameterizedTest(name = "{0}, encrypted {1}")
  @CsvSource({"ZSTD,false", "ZSTD,true", "NONE,false", "NONE,true"})
  void zstdAndUncompressedBackups_inspectVerifyAndDecrypt(
      CompressionFormat format, boolean encrypted) throws Exception {
    SourceBackupOutcome backup =
        sourceBackup(
            dir, encrypted ? KEY_A : null, new Compression(format, format.defaultLevel(), 2));
    String path = file(dir, backup).toString();
    Map<String, String> env = encrypted ? ENV_A : NO_KEYS;

    Run inspect = run(NO_KEYS, "inspect", path);
    Run verify = run(env, "verify", path);

    assertThat(path).endsWith(".tar" + format.suffix() + (encrypted ? ".enc" : ""));
    assertThat(inspect.out()).contains("compression:     " + format.id() + " (manifest)");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .contains(format == CompressionFormat.NONE ? "not compressed" : "zstd stream complete");
    if (encrypted) {
      Path out = dir.resolve("plain.tar" + format.suffix());
      Run decrypt = run(env, "decrypt", path, "-o", out.toString());
      assertThat(decrypt.code()).as(decrypt.err()).isZero();
      assertThat(sha256(Files.readAllBytes(out))).isEqualTo(backup.manifest().sha256());
      // what the operator does next by hand, with stock tools
      String[] list =
          format == CompressionFormat.ZSTD
              ? new String[] {"tar", "--zstd", "-tf", out.toString()}
              : new String[] {"tar", "-tf", out.toString()};
      Process tar = new ProcessBuilder(list).redirectErrorStream(true).start();
      String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(tar.waitFor()).as(listing).isZero();
      assertThat(listing).contains("src/Main.java").contains("blob.bin");
    } else {
      Run decrypt = run(NO_KEYS, "decrypt", path, "-o", dir.resolve("o").toString());
      assertThat(decrypt.err())
          .contains("is not encrypted (" + format.id() + ")")
          .contains(format == CompressionFormat.ZSTD ? "'zstd -dc " : "'cat ");
    }
  }

  @Test
  void aLoneZstdFile_withoutManifest_isToldByItsMagic_andACorruptedBlockIsDamaged()
      throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, null, Compression.zstd(3));
    Path lone = dir.resolve("renamed-download");
    Files.copy(file(dir, backup), lone);

    Run good = run(NO_KEYS, "verify", lone.toString());
    byte[] bytes = Files.readAllBytes(lone);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(lone, bytes);
    Run bad = run(NO_KEYS, "verify", lone.toString());

    assertThat(good.code()).as(good.out() + good.err()).isZero();
    assertThat(good.out()).contains("zstd stream complete");
    assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(bad.out() + bad.err()).contains("the zstd stream of").contains("damaged");
  }

  @Test
  void legacyKanbuFile_isRecognised_verified_andDecryptedToAFileOnly() throws Exception {
    Path legacy = LEGACY_FIXTURES.resolve("legacy-hexkey.sql.gz.enc");
    byte[] payload = Files.readAllBytes(LEGACY_FIXTURES.resolve("legacy-payload.sql.gz"));
    String nodeKey = "8f1c2b7e4d6a9f03c5e7b1d2a4f6c8e0112233445566778899aabbccddeeff00";
    Map<String, String> env = Map.of("BACKUP_ENCRYPTION_KEY", nodeKey);
    Path out = dir.resolve("legacy.sql.gz");

    Run inspect = run(NO_KEYS, "inspect", legacy.toString());
    Run verify = run(env, "verify", legacy.toString());
    Run decrypt = run(env, "decrypt", legacy.toString(), "-o", out.toString());
    Run toStdout = run(env, "decrypt", legacy.toString(), "-o", "-");
    Run wrongKey = run(ENV_A, "verify", legacy.toString());

    assertThat(inspect.out()).contains("legacy Kanbu encrypted file (no header)");
    assertThat(verify.code()).as(verify.err()).isZero();
    assertThat(verify.out()).contains(sha256(payload));
    assertThat(decrypt.code()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(payload);
    assertThat(toStdout.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(toStdout.binary()).isEmpty();
    assertThat(wrongKey.code()).as(wrongKey.out() + wrongKey.err()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(wrongKey.err()).contains("legacy file authentication failed");
  }

  @Test
  void rekey_rewritesOnlyTheHeaderAndManifest_andTheOldKeyCanGo() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    byte[] before = Files.readAllBytes(file);
    int oldHeader = EnvelopeEncryption.readHeader(new ByteArrayInputStream(before)).length();
    Map<String, String> onlyNew =
        Map.of("BACKUP_ENCRYPTION_KEY", PASSPHRASE_B, "BACKUP_ENCRYPTION_KEY_ID", "ops-2026");

    Run rekey = run(ROTATING, "rekey", file.toString());

    assertThat(rekey.code()).as(rekey.err()).isZero();
    assertThat(rekey.out()).contains("key 'ops-2025' -> 'ops-2026'").contains("manifest");
    byte[] after = Files.readAllBytes(file);
    int newHeader = EnvelopeEncryption.readHeader(new ByteArrayInputStream(after)).length();
    assertThat(Arrays.copyOfRange(after, newHeader, after.length))
        .isEqualTo(Arrays.copyOfRange(before, oldHeader, before.length));
    BackupManifest manifest =
        new ManifestCodec()
            .decode(
                Files.readAllBytes(file.resolveSibling(backup.fileName() + ".manifest.json")), "m");
    assertThat(manifest.encryption().keyId()).isEqualTo("ops-2026");
    assertThat(manifest.sha256Stored()).isEqualTo(sha256(after));
    assertThat(manifest.sha256()).isEqualTo(backup.manifest().sha256());

    Run verify = run(onlyNew, "verify", file.toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    Run decrypt = run(onlyNew, "decrypt", file.toString(), "-o", "-");
    assertThat(sha256(decrypt.binary())).isEqualTo(backup.manifest().sha256());
    Run oldKeyOnly =
        run(
            Map.of("BACKUP_ENCRYPTION_KEY", HEX_KEY_A, "BACKUP_ENCRYPTION_KEY_ID", "ops-2025"),
            "verify",
            file.toString());
    assertThat(oldKeyOnly.code()).isEqualTo(ExitCodes.KEY_MISSING);
    Run twice = run(ROTATING, "rekey", file.toString());
    assertThat(twice.code()).isZero();
    assertThat(twice.out()).contains("nothing to do");
    assertThat(Files.readAllBytes(file)).isEqualTo(after);
  }

  @Test
  void rekey_afterAnInterruptedRekey_repairsTheManifestTheFileNoLongerMatches() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    Path manifestFile = file.resolveSibling(backup.fileName() + ".manifest.json");
    byte[] oldManifest = Files.readAllBytes(manifestFile);
    assertThat(run(ROTATING, "rekey", file.toString()).code()).isZero();
    byte[] rekeyedManifest = Files.readAllBytes(manifestFile);
    Files.write(manifestFile, oldManifest); // as if the rekey stopped before the manifest

    Run again = run(ROTATING, "rekey", file.toString());

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("manifest repaired");
    ManifestCodec codec = new ManifestCodec();
    assertThat(codec.decode(Files.readAllBytes(manifestFile), "m"))
        .isEqualTo(codec.decode(rekeyedManifest, "m"));
    Run verify =
        run(
            Map.of("BACKUP_ENCRYPTION_KEY", PASSPHRASE_B, "BACKUP_ENCRYPTION_KEY_ID", "ops-2026"),
            "verify",
            file.toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
  }

  @Test
  void rekey_ofAFileItsManifestDoesNotDescribe_isRefused_andChangesNothing() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    byte[] damaged = Files.readAllBytes(file);
    damaged[2_000_000] ^= 0x10;
    Files.write(file, damaged);

    Run rekey = run(ROTATING, "rekey", file.toString());

    assertThat(rekey.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(rekey.err()).contains("it was not rekeyed");
    assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
  }

  @Test
  void rekey_withoutTheOldKey_exitsKeyMissing() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r =
        run(
            Map.of("BACKUP_ENCRYPTION_KEY", PASSPHRASE_B, "BACKUP_ENCRYPTION_KEY_ID", "ops-2026"),
            "rekey",
            file(dir, backup).toString());

    assertThat(r.code()).isEqualTo(ExitCodes.KEY_MISSING);
    assertThat(r.err()).contains("no key 'ops-2025'");
  }

  @Test
  void keyringFile_isReadLikeTheWorkers_andMustBePrivate() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path keyring = dir.resolve("keys");
    Files.writeString(keyring, "# rotated keys\nops-2025:" + HEX_KEY_A + "\n");
    Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-------"));

    Run ok = run(NO_KEYS, "verify", "--key-file", keyring.toString(), file(dir, backup).toString());
    Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-r--r--"));
    Run open =
        run(NO_KEYS, "verify", "--key-file", keyring.toString(), file(dir, backup).toString());

    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(open.code()).isEqualTo(ExitCodes.KEY_MISSING);
    assertThat(open.err()).contains("chmod 600");
  }

  @Test
  void keyWithoutId_takesTheIdFromTheHeader_soARecoveringOperatorNeedsOnlyTheSecret()
      throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);

    Run r = run(ENV_A, "decrypt", file(dir, backup).toString(), "-o", "-");

    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void missingFile_andNotABackup_haveTheirOwnExitCodes() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");

    Run missing = run(NO_KEYS, "verify", dir.resolve("nope.sql.gz.enc").toString());
    Run notBackup = run(NO_KEYS, "inspect", text.toString());
    Run badArgs = run(NO_KEYS, "decrypt", text.toString());

    assertThat(missing.code()).isEqualTo(ExitCodes.FILE_NOT_READABLE);
    assertThat(missing.err()).contains("does not exist");
    assertThat(notBackup.code()).isEqualTo(ExitCodes.NOT_A_BACKUP);
    assertThat(notBackup.err()).contains("not a kanbu backup");
    assertThat(badArgs.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void damagedHeader_isReportedAsDamaged() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, KEY_A);
    Path file = file(dir, backup);
    byte[] bytes = Files.readAllBytes(file);
    bytes[30] ^= 0x01; // inside the key id: the header checksum no longer matches
    Files.write(file, bytes);

    Run r = run(ENV_A, "inspect", file.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.DAMAGED);
    assertThat(r.err()).contains("header corrupted: header checksum (SHA-256) mismatch");
  }

  @Test
  void help_documentsTheExitCodes_includingTheRestoreOnes() {
    Run r = run(NO_KEYS, "verify", "--help");
    Run restoreHelp = run(NO_KEYS, "restore", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Exit codes:").contains("6   wrong key");
    assertThat(restoreHelp.out())
        .contains("--confirm=NAME")
        .contains("10   restore refused by a pre-flight check")
        .contains("11   restore failed and was rolled back")
        .contains("12   database server unreachable");
    assertThat(run(NO_KEYS, "restore", "x").code())
        .as("--confirm is required")
        .isEqualTo(ExitCodes.USAGE);
    assertThat(new String(r.binary(), StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void restoreWithoutADatabaseUrl_isAUsageError_namingTheVariable() throws Exception {
    SourceBackupOutcome backup = sourceBackup(dir, null);

    Run r = run(NO_KEYS, "restore", file(dir, backup).toString(), "--confirm", "kanbu");
    Run source =
        run(
            Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/kanbu"),
            "restore",
            file(dir, backup).toString(),
            "--confirm",
            "kanbu");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no database url").contains("DATABASE_URL");
    assertThat(source.code()).isEqualTo(ExitCodes.NOT_A_BACKUP);
    assertThat(source.err()).contains("is a source backup");
  }
}
