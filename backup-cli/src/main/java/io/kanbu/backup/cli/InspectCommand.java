package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.KeyDerivationSpec;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code inspect FILE}: what a file is, its header and its manifest; needs no key. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what FILE is: its format, the encryption header (format version, backup id, key id,"
          + " key derivation parameters; never a secret) and the manifest beside it"
          + " (FILE.manifest.json), whose own checksum is verified. Needs no key.",
      "Recognises Kanbu Backup encrypted files (.enc with a 'KNBK' header), plain gzip, zstd"
          + " and uncompressed files (.sql.gz, .sql.zst, .sql, .tar.gz, .tar.zst, .tar) and the"
          + " original Kanbu's encrypted files (.enc without header)."
    })
final class InspectCommand implements Callable<Integer> {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The backup file.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    BackupFile backup = BackupFile.open(file);
    BackupManifest manifest = null;
    CliException manifestProblem = null;
    try {
      manifest = backup.manifest();
    } catch (CliException e) {
      manifestProblem = e;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(asJson(backup, manifest, manifestProblem)));
    } else {
      printText(out, backup, manifest, manifestProblem);
    }
    out.flush();
    if (manifestProblem != null) {
      throw manifestProblem;
    }
    if (manifest != null && backup.header() != null) {
      checkAgreement(backup.header(), manifest, backup);
    }
    return ExitCodes.OK;
  }

  /** Refuses a manifest that describes another backup or key than the header does. */
  static void checkAgreement(EncryptionHeader header, BackupManifest manifest, BackupFile backup) {
    BackupManifest.Encryption encryption = manifest.encryption();
    if (!header.backupId().equals(manifest.backupId())
        || encryption == null
        || !encryption.keyId().equals(header.keyId())) {
      throw new CliException(
          ExitCodes.MANIFEST_INVALID,
          "manifest '"
              + backup.manifestPath()
              + "' does not describe '"
              + backup.path()
              + "': the header says backup '"
              + header.backupId()
              + "' wrapped by key '"
              + header.keyId()
              + "'");
    }
  }

  private static void printText(
      PrintWriter out,
      BackupFile backup,
      @Nullable BackupManifest manifest,
      @Nullable CliException manifestProblem) {
    row(out, "file", backup.path().toString());
    row(out, "size", backup.size() + " bytes");
    row(out, "format", backup.description());
    row(
        out,
        "compression",
        backup.compression(manifest).id()
            + (manifest != null ? " (manifest)" : backup.encrypted() ? " (file name)" : ""));
    EncryptionHeader header = backup.header();
    if (header != null) {
      row(out, "format version", Integer.toString(header.formatVersion()));
      row(out, "backup id", header.backupId().toString());
      row(out, "key id", header.keyId());
      row(out, "key derivation", describe(header.keyDerivation()));
      row(
          out,
          "data cipher",
          header.dataCipherName()
              + " ("
              + EnvelopeEncryption.CIPHERTEXT_SEGMENT_BYTES
              + "-byte segments, backup id as associated data)");
      row(out, "header length", header.length() + " bytes (data starts at this offset)");
    } else if (backup.format() == BackupFile.Format.LEGACY_ENCRYPTED) {
      row(
          out,
          "layout",
          "16-byte IV, AES-256-GCM ciphertext, 16-byte tag; key: the 64-hex key itself or"
              + " PBKDF2-HMAC-SHA256 of the passphrase");
    }
    if (manifestProblem != null) {
      row(out, "manifest", "INVALID: " + manifestProblem.getMessage());
      return;
    }
    if (manifest == null) {
      row(out, "manifest", "none (no " + backup.manifestPath().getFileName() + " beside the file)");
      return;
    }
    row(out, "manifest", backup.manifestPath() + " (self-checksum ok)");
    row(out, "  kind", manifest.kind());
    row(out, "  target", manifest.target());
    row(out, "  backup id", manifest.backupId().toString());
    row(out, "  job id", manifest.jobId().toString());
    row(out, "  created at", manifest.createdAt().toString());
    row(out, "  file name", manifest.fileName());
    row(out, "  tool version", manifest.toolVersion());
    if (manifest.pgServerVersion() != null) {
      row(
          out,
          "  postgresql",
          "server " + manifest.pgServerVersion() + ", pg_dump " + manifest.pgDumpVersion());
    }
    BackupManifest.Sizes sizes = manifest.sizes();
    row(
        out,
        "  sizes",
        "raw "
            + sizes.raw()
            + ", compressed "
            + sizes.compressed()
            + ", stored "
            + sizes.stored()
            + " bytes");
    row(out, "  sha256", manifest.sha256() + " (compressed plaintext)");
    row(out, "  sha256 stored", manifest.sha256Stored());
    BackupManifest.Encryption encryption = manifest.encryption();
    row(
        out,
        "  encryption",
        encryption == null
            ? "none"
            : encryption.dataCipher()
                + ", format version "
                + encryption.formatVersion()
                + ", key id "
                + encryption.keyId());
    long rows = manifest.rowCounts().tables().stream().mapToLong(t -> Math.max(t.rows(), 0)).sum();
    row(
        out,
        "  row counts",
        manifest.rowCounts().mode()
            + ", "
            + manifest.rowCounts().tables().size()
            + " tables, "
            + rows
            + " rows");
  }

  private static Map<String, Object> asJson(
      BackupFile backup,
      @Nullable BackupManifest manifest,
      @Nullable CliException manifestProblem) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("file", backup.path().toString());
    root.put("size", backup.size());
    root.put("format", backup.format().name().toLowerCase(java.util.Locale.ROOT));
    EncryptionHeader header = backup.header();
    if (header != null) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("formatVersion", header.formatVersion());
      h.put("backupId", header.backupId().toString());
      h.put("keyId", header.keyId());
      h.put("keyDerivation", keyDerivationJson(header.keyDerivation()));
      h.put("dataCipher", header.dataCipherName());
      h.put("segmentBytes", EnvelopeEncryption.CIPHERTEXT_SEGMENT_BYTES);
      h.put("length", header.length());
      root.put("header", h);
    } else {
      root.put("header", null);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", backup.manifestPath().toString());
    if (manifestProblem != null) {
      m.put("status", "invalid");
      m.put("error", manifestProblem.getMessage());
    } else if (manifest == null) {
      m.put("status", "missing");
    } else {
      m.put("status", "ok");
      JsonNode content = JSON.readTree(new ManifestCodec().encode(manifest));
      m.put("content", content);
    }
    root.put("manifest", m);
    return root;
  }

  private static String describe(KeyDerivationSpec spec) {
    return switch (spec) {
      case KeyDerivationSpec.RawKey raw -> "none: raw 256-bit key (64 hex characters)";
      case KeyDerivationSpec.Argon2id argon ->
          "argon2id v1.3 of a passphrase: memory "
              + argon.parameters().memoryKib()
              + " KiB, iterations "
              + argon.parameters().iterations()
              + ", parallelism "
              + argon.parameters().parallelism()
              + ", 16-byte salt";
    };
  }

  private static Map<String, Object> keyDerivationJson(KeyDerivationSpec spec) {
    Map<String, Object> kdf = new LinkedHashMap<>();
    switch (spec) {
      case KeyDerivationSpec.RawKey raw -> kdf.put("type", "raw");
      case KeyDerivationSpec.Argon2id argon -> {
        kdf.put("type", "argon2id");
        kdf.put("memoryKib", argon.parameters().memoryKib());
        kdf.put("iterations", argon.parameters().iterations());
        kdf.put("parallelism", argon.parameters().parallelism());
      }
    }
    return kdf;
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf("%-16s %s%n", label + ":", value);
  }
}
