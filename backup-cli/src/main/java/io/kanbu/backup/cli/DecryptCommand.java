package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code decrypt FILE -o OUT}: the compressed stream inside an encrypted backup, streaming. */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Decrypts FILE to OUT, streaming with constant memory. OUT is the compressed plaintext"
          + " (.sql.gz, .sql.zst or .sql; .tar.gz, .tar.zst or .tar: FILE's name without .enc):"
          + " restore it with 'gunzip -c OUT | psql -X -1 -v ON_ERROR_STOP=1 -d DB' ('zstd -dc'"
          + " for .zst, 'psql -f OUT' for .sql) or 'tar -xf OUT'.",
      "OUT is written to a temporary file beside it and renamed when every segment has"
          + " authenticated, so a failure leaves nothing that looks complete. With '-o -' the"
          + " plaintext goes to standard output as segments authenticate: on a non-zero exit"
          + " discard what was written. A legacy file (original Kanbu) authenticates only at its"
          + " end and cannot be decrypted to standard output."
    })
final class DecryptCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand KanbuBackupCli root;

  @Parameters(paramLabel = "FILE", description = "The encrypted backup file.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      required = true,
      description = "Where to write the plaintext; '-' for standard output.")
  String output;

  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  @Mixin KeyOptions keys;

  @Override
  public Integer call() throws Exception {
    BackupFile backup = BackupFile.open(file);
    boolean toStdout = output.equals("-");
    if (!toStdout && Files.exists(Path.of(output)) && !force) {
      throw new CliException(
          ExitCodes.OUTPUT_EXISTS,
          "output '" + output + "' already exists: refusing to overwrite it; use --force");
    }
    Decryption decryption =
        switch (backup.format()) {
          case PLAIN ->
              throw new CliException(
                  ExitCodes.NOT_A_BACKUP,
                  "'"
                      + backup.path()
                      + "' is not encrypted ("
                      + backup.compression().id()
                      + "): use it as it is, e.g. '"
                      + HandRestore.reader(backup.compression())
                      + backup.path()
                      + "'");
          case ENCRYPTED -> envelope(backup);
          case LEGACY_ENCRYPTED -> {
            if (toStdout) {
              throw new CliException(
                  ExitCodes.USAGE,
                  "'"
                      + backup.path()
                      + "' is a legacy file, authenticated only at its very end: decrypt it to a"
                      + " file (-o FILE), not to standard output");
            }
            yield legacy();
          }
        };
    long bytes;
    if (toStdout) {
      OutputStream stdout = root.binaryOut();
      bytes = decryption.run(backup.path(), stdout);
      stdout.flush();
    } else {
      bytes =
          CompletedFileWriter.write(
              Path.of(output), force, out -> decryption.run(backup.path(), out));
    }
    // with '-o -' standard output carries the data: the report goes to standard error
    PrintWriter report = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
    report.println(
        "decrypted '"
            + backup.path()
            + "' ("
            + backup.description()
            + ") to "
            + (toStdout ? "standard output" : "'" + output + "'")
            + ": "
            + bytes
            + " bytes, every byte authenticated");
    report.flush();
    return ExitCodes.OK;
  }

  private Decryption envelope(BackupFile backup) {
    EncryptionHeader header = backup.header();
    EnvelopeEncryption encryption =
        new EnvelopeEncryption(keys.keyring(root.environment(), header.keyId()));
    return (path, out) -> {
      try (InputStream in = encryption.decrypt(Files.newInputStream(path), header.backupId())) {
        return in.transferTo(out);
      }
    };
  }

  private Decryption legacy() throws IOException {
    LegacyKanbuDecryptor decryptor =
        LegacyKanbuDecryptor.withPrimaryKey(keys.keyring(root.environment(), null));
    return (path, out) -> {
      try (InputStream in = Files.newInputStream(path)) {
        return decryptor.decrypt(in, out);
      }
    };
  }

  @FunctionalInterface
  private interface Decryption {
    long run(Path file, OutputStream out) throws IOException;
  }
}
