package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.rekey.BackupRekeyer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rekey FILE}: the data key re-wrapped under the new key, the data left as it is. */
@Command(
    name = "rekey",
    mixinStandardHelpOptions = true,
    description = {
      "Re-wraps the data key of the encrypted FILE under the primary key (--key-env with --key-id,"
          + " or the first entry of --key-file), unwrapping it with the key named in FILE's header"
          + " (an old key: --old-keys-env, --old-keys-file). Only the header changes: the data"
          + " segments are copied byte for byte, never decrypted or re-compressed.",
      "The manifest beside FILE gets the new key id, stored size and stored SHA-256 (and a new"
          + " self-checksum); FILE must first match what the manifest records, so a damaged file is"
          + " not given a fresh digest. Both are written to temporary files and renamed. Afterwards"
          + " the old key is no longer needed for FILE."
    })
final class RekeyCommand implements Callable<Integer> {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();

  @Spec CommandSpec spec;

  @ParentCommand KanbuBackupCli root;

  @Parameters(paramLabel = "FILE", description = "The encrypted backup file, rewritten in place.")
  Path file;

  @Mixin KeyOptions keys;

  @Override
  public Integer call() throws Exception {
    BackupFile backup = BackupFile.open(file);
    if (backup.format() != BackupFile.Format.ENCRYPTED) {
      throw new CliException(
          ExitCodes.NOT_A_BACKUP,
          "'"
              + backup.path()
              + "' is "
              + backup.description()
              + ": only Kanbu Backup encrypted files have a data key to re-wrap"
              + (backup.format() == BackupFile.Format.LEGACY_ENCRYPTED
                  ? " (decrypt a legacy file and back it up anew instead)"
                  : ""));
    }
    Keyring keyring = keys.keyring(root.environment(), null);
    if (keyring.primary().isEmpty()) {
      throw new CliException(
          ExitCodes.KEY_MISSING,
          "rekey needs the new key: set "
              + keys.keyEnv
              + " (and give it a new id with --key-id or "
              + Keyring.ENV_KEY_ID
              + ") or name a keyring file with --key-file");
    }
    BackupRekeyer rekeyer = new BackupRekeyer(new EnvelopeEncryption(keyring));
    EncryptionHeader header = backup.header();
    PrintWriter out = spec.commandLine().getOut();
    BackupManifest manifest = backup.manifest();
    Path manifestPath = backup.manifestPath();
    if (rekeyer.isWrappedByPrimary(header)) {
      if (manifest != null
          && manifest.encryption() != null
          && !manifest.encryption().keyId().equals(header.keyId())) {
        // an earlier rekey stopped between the file and its manifest
        BackupRekeyer.Repaired repaired;
        try (InputStream in = Files.newInputStream(backup.path())) {
          repaired = rekeyer.repair(in, manifest, manifestPath.toString());
        }
        writeManifest(manifestPath, repaired.manifest());
        out.println(
            "'"
                + backup.path()
                + "' is already wrapped by key '"
                + header.keyId()
                + "' but manifest '"
                + manifestPath
                + "' named key '"
                + manifest.encryption().keyId()
                + "': manifest repaired (key id, stored size and sha256, checksum)");
        out.flush();
        return ExitCodes.OK;
      }
      out.println(
          "'"
              + backup.path()
              + "' is already wrapped by key '"
              + header.keyId()
              + "': nothing to do (a new key needs a new id)");
      out.flush();
      return ExitCodes.OK;
    }
    // checked before the rename: a file its manifest does not describe is left alone
    BackupRekeyer.Rewritten rewritten =
        CompletedFileWriter.write(
            backup.path(),
            true,
            sink -> {
              try (InputStream in = Files.newInputStream(backup.path())) {
                return rekeyer.rekey(in, sink, manifest, manifestPath.toString());
              }
            });
    BackupRekeyer.Rekeyed rekeyed = rewritten.rekeyed();
    if (rewritten.manifest() != null) {
      writeManifest(manifestPath, rewritten.manifest());
    }
    out.println(
        "rekeyed '"
            + backup.path()
            + "': key '"
            + rekeyed.oldKeyId()
            + "' -> '"
            + rekeyed.newKeyId()
            + "', "
            + rekeyed.oldStoredBytes()
            + " -> "
            + rekeyed.storedBytes()
            + " bytes, data segments unchanged; sha256 stored "
            + rekeyed.sha256Stored());
    out.println(
        rewritten.manifest() != null
            ? "manifest '" + manifestPath + "' updated (key id, stored size and sha256, checksum)"
            : "no manifest beside the file: nothing else to update");
    out.flush();
    return ExitCodes.OK;
  }

  private static void writeManifest(Path manifestPath, BackupManifest manifest)
      throws java.io.IOException {
    byte[] json = MANIFESTS.encode(manifest);
    CompletedFileWriter.write(
        manifestPath,
        true,
        sink -> {
          sink.write(json);
          return null;
        });
  }
}
