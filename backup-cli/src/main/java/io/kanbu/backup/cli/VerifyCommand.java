package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.LegacyFileCheck;
import io.kanbu.backup.core.verify.VerificationCheck;
import io.kanbu.backup.core.verify.VerificationFailedException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code verify FILE}: the core's {@link BackupVerifier} on a single file, with the manifest beside
 * it as the record to check against; each check is printed.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies FILE end to end and prints each check: the manifest beside it (its own checksum),"
          + " the size and SHA-256 of the stored bytes against the manifest (needs no key),"
          + " decryption of every segment, the SHA-256 of the compressed plaintext, and"
          + " decompression (gzip, zstd) of the whole stream (so a truncated file cannot pass)."
          + " Exits 0 only if all pass.",
      "Without a manifest the digests are computed and shown but there is nothing to compare"
          + " them with. A legacy file (original Kanbu) is decrypted with the primary key, its GCM"
          + " tag checked and its compressed stream read to the end."
    })
final class VerifyCommand implements Callable<Integer> {

  private static final UUID NO_BACKUP_ID = new UUID(0, 0);

  @Spec CommandSpec spec;

  @ParentCommand KanbuBackupCli root;

  @Parameters(paramLabel = "FILE", description = "The backup file.")
  Path file;

  @Mixin KeyOptions keys;

  @Override
  public Integer call() throws Exception {
    BackupFile backup = BackupFile.open(file.toAbsolutePath());
    PrintWriter out = spec.commandLine().getOut();
    if (backup.format() == BackupFile.Format.LEGACY_ENCRYPTED) {
      return verifyLegacy(backup, out);
    }
    boolean encrypted = backup.format() == BackupFile.Format.ENCRYPTED;
    Set<VerificationCheck> applicable = EnumSet.allOf(VerificationCheck.class);
    if (!encrypted) {
      applicable.remove(VerificationCheck.DECRYPTION);
    }
    if (!backup.hasManifest()) {
      applicable.remove(VerificationCheck.MANIFEST);
    }
    out.println(
        "verifying '"
            + backup.path()
            + "' ("
            + backup.description()
            + (backup.hasManifest()
                ? ", manifest '" + backup.manifestPath().getFileName() + "'"
                : ", no manifest: digests are shown, not compared")
            + ")");
    List<VerificationCheck> passed = new ArrayList<>();
    try {
      BackupManifest manifest = backup.manifest();
      Keyring keyring =
          encrypted ? keys.keyring(root.environment(), backup.header().keyId()) : Keyring.empty();
      ExpectedBackup expected = expected(backup, manifest);
      new BackupVerifier(new EnvelopeEncryption(keyring))
          .verify(
              new LocalStorageBackend(backup.path().getParent()),
              expected,
              (check, detail) -> {
                passed.add(check);
                line(out, "ok", check, detail);
              });
    } catch (VerificationFailedException e) {
      reportFailure(out, applicable, passed, e.check(), e.getMessage());
      throw e;
    } catch (CliException e) {
      if (e.exitCode() == ExitCodes.MANIFEST_INVALID) {
        reportFailure(out, applicable, passed, VerificationCheck.MANIFEST, e.getMessage());
      }
      throw e;
    }
    out.println("verified: all " + passed.size() + " checks passed");
    out.flush();
    return ExitCodes.OK;
  }

  private static ExpectedBackup expected(BackupFile backup, BackupManifest manifest) {
    boolean encrypted = backup.format() == BackupFile.Format.ENCRYPTED;
    if (manifest == null) {
      UUID backupId = encrypted ? backup.header().backupId() : NO_BACKUP_ID;
      return ExpectedBackup.unrecorded(
          backupId, backup.fileName(), encrypted, backup.compression());
    }
    return new ExpectedBackup(
        manifest.backupId(),
        backup.fileName(),
        backup.manifestPath().getFileName().toString(),
        manifest.sizes().raw(),
        manifest.sizes().compressed(),
        manifest.sizes().stored(),
        manifest.sha256(),
        manifest.sha256Stored(),
        manifest.encryption() != null,
        manifest.compressionFormat());
  }

  private int verifyLegacy(BackupFile backup, PrintWriter out) throws Exception {
    out.println(
        "verifying '"
            + backup.path()
            + "' ("
            + backup.description()
            + ": nothing recorded to compare with)");
    LegacyKanbuDecryptor decryptor =
        LegacyKanbuDecryptor.withPrimaryKey(keys.keyring(root.environment(), null));
    LegacyFileCheck.Result result;
    try (InputStream in = Files.newInputStream(backup.path())) {
      result = LegacyFileCheck.run(in, decryptor, backup.compression());
    }
    line(out, "ok", VerificationCheck.OBJECT, "'" + backup.fileName() + "' is readable");
    line(out, "ok", VerificationCheck.DECRYPTION, "GCM tag verified over the whole file");
    line(
        out,
        "ok",
        VerificationCheck.PLAINTEXT_SHA256,
        result.compressedBytes()
            + " bytes, sha256 "
            + result.sha256()
            + " (nothing recorded to compare with)");
    line(
        out,
        "ok",
        VerificationCheck.DECOMPRESSION,
        backup.compression().id()
            + " stream complete, "
            + result.rawBytes()
            + " bytes uncompressed");
    out.println("verified: all 4 checks passed");
    out.flush();
    return ExitCodes.OK;
  }

  private static void reportFailure(
      PrintWriter out,
      Set<VerificationCheck> applicable,
      List<VerificationCheck> passed,
      VerificationCheck failed,
      String message) {
    String prefix = failed.label() + " check failed: ";
    line(
        out,
        "FAILED",
        failed,
        message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    for (VerificationCheck check : applicable) {
      if (check.ordinal() > failed.ordinal() && !passed.contains(check)) {
        line(out, "-", check, "not run");
      }
    }
    out.println("verification failed: " + failed.label());
    out.flush();
  }

  private static void line(PrintWriter out, String status, VerificationCheck check, String what) {
    out.printf("  %-7s %s: %s%n", status, check.label(), what);
  }
}
