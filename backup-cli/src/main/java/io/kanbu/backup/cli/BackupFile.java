package io.kanbu.backup.cli;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.crypto.EncryptionHeader;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.naming.BackupFileNames;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One backup file on disk as the CLI sees it: its format (told from its first bytes, not its name),
 * its header when it has one, and the manifest beside it ({@code <file>.manifest.json}) when there
 * is one.
 */
final class BackupFile {

  private static final byte[] MAGIC = {'K', 'N', 'B', 'K'};
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final ManifestCodec MANIFESTS = new ManifestCodec();

  /** What a file is. */
  enum Format {
    /** A Kanbu Backup encrypted file: header (magic {@code KNBK}) and Tink segments. */
    ENCRYPTED("kanbu encrypted backup"),
    /**
     * Not encrypted: a gzip or zstd stream ({@code .sql.gz}, {@code .sql.zst}, {@code .tar…}, told
     * from its magic bytes) or an uncompressed {@code .sql} / {@code .tar} (told from its name).
     */
    PLAIN("not encrypted"),
    /** A {@code .enc} file of the original Kanbu: IV, AES-256-GCM ciphertext, tag; no header. */
    LEGACY_ENCRYPTED("legacy Kanbu encrypted file (no header)");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final Path path;
  private final Format format;
  private final CompressionFormat compression;
  private final long size;
  private final @Nullable EncryptionHeader header;
  private final Path manifestPath;

  private BackupFile(
      Path path,
      Format format,
      CompressionFormat compression,
      long size,
      @Nullable EncryptionHeader header,
      Path manifestPath) {
    this.path = path;
    this.format = format;
    this.compression = compression;
    this.size = size;
    this.header = header;
    this.manifestPath = manifestPath;
  }

  /**
   * Opens a file and tells its format; reads and checks the header of an encrypted one (no key
   * needed).
   *
   * @throws CliException if the file is missing, unreadable or not a backup
   * @throws io.kanbu.backup.core.crypto.DecryptionException if the header is damaged
   */
  static BackupFile open(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new CliException(ExitCodes.FILE_NOT_READABLE, "file '" + path + "' does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw new CliException(ExitCodes.FILE_NOT_READABLE, "'" + path + "' is not a regular file");
    }
    long size = Files.size(path);
    byte[] start;
    try (InputStream in = Files.newInputStream(path)) {
      start = in.readNBytes(MAGIC.length);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.FILE_NOT_READABLE, "file '" + path + "' does not exist");
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FILE_NOT_READABLE, "unable to read '" + path + "': " + e.getMessage(), e);
    }
    String name = path.getFileName().toString();
    Path manifestPath = path.resolveSibling(BackupManifest.keyFor(name));
    // an encrypted file's name is the only hint before decryption; gzip was the only format once
    CompressionFormat named = CompressionFormat.ofFileName(name).orElse(CompressionFormat.GZIP);
    if (Arrays.equals(start, MAGIC)) {
      EncryptionHeader header;
      try (InputStream in = Files.newInputStream(path)) {
        header = EnvelopeEncryption.readHeader(in);
      }
      return new BackupFile(path, Format.ENCRYPTED, named, size, header, manifestPath);
    }
    CompressionFormat magic = CompressionFormat.ofMagic(start);
    if (magic != null) {
      return new BackupFile(path, Format.PLAIN, magic, size, null, manifestPath);
    }
    // The original Kanbu's files start with a random IV: only the name tells them apart.
    if (name.endsWith(BackupFileNames.ENCRYPTED_SUFFIX)) {
      return new BackupFile(path, Format.LEGACY_ENCRYPTED, named, size, null, manifestPath);
    }
    if (CompressionFormat.ofFileName(name).orElse(null) == CompressionFormat.NONE) {
      return new BackupFile(path, Format.PLAIN, CompressionFormat.NONE, size, null, manifestPath);
    }
    throw new CliException(
        ExitCodes.NOT_A_BACKUP,
        "not a kanbu backup: '"
            + path
            + "' starts with neither 'KNBK' (encrypted backup) nor the gzip or zstd magic bytes,"
            + " is not named .sql or .tar (uncompressed), and has no '.enc' suffix (legacy"
            + " encrypted file)");
  }

  Path path() {
    return path;
  }

  String fileName() {
    return path.getFileName().toString();
  }

  Format format() {
    return format;
  }

  /** What the file is, for people: {@code gzip, not encrypted}, {@code kanbu encrypted backup}. */
  String description() {
    return format == Format.PLAIN ? compression.id() + ", " + format.label() : format.label();
  }

  /** True for {@link Format#ENCRYPTED} and {@link Format#LEGACY_ENCRYPTED}. */
  boolean encrypted() {
    return format != Format.PLAIN;
  }

  /**
   * The compression of the plaintext as the file shows it: its magic bytes when not encrypted, else
   * its name ({@code .zst}, {@code .gz}, neither for none; gzip when the name says nothing). A
   * manifest, when there is one, says it with authority: see {@link #compression(BackupManifest)}.
   */
  CompressionFormat compression() {
    return compression;
  }

  /** The manifest's compression when there is one, else {@link #compression()}. */
  CompressionFormat compression(@Nullable BackupManifest manifest) {
    return manifest == null ? compression : manifest.compressionFormat();
  }

  long size() {
    return size;
  }

  /** The header of an {@link Format#ENCRYPTED} file, else null. */
  @Nullable EncryptionHeader header() {
    return header;
  }

  /** Where the manifest of this file is, whether or not it exists. */
  Path manifestPath() {
    return manifestPath;
  }

  boolean hasManifest() {
    return Files.isRegularFile(manifestPath);
  }

  /**
   * Reads the manifest beside the file and checks its self-checksum.
   *
   * @return null when there is no manifest
   * @throws CliException ({@link ExitCodes#MANIFEST_INVALID}) if it is not a valid manifest
   */
  @Nullable BackupManifest manifest() {
    if (!hasManifest()) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(manifestPath)) {
      bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FILE_NOT_READABLE,
          "unable to read manifest '" + manifestPath + "': " + e.getMessage(),
          e);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new CliException(
          ExitCodes.MANIFEST_INVALID, "manifest '" + manifestPath + "' is larger than 4 MiB");
    }
    try {
      return MANIFESTS.decode(bytes, manifestPath.toString());
    } catch (BackupException e) {
      throw new CliException(ExitCodes.MANIFEST_INVALID, e.getMessage(), e);
    }
  }
}
