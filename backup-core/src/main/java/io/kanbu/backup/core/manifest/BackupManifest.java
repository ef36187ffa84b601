package io.kanbu.backup.core.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The manifest of one backup: enough to identify, check and restore it without the catalog. Field
 * by field in {@code docs/backup-format.md}. Contains no secret.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param backupId the backup's id (also the encryption's associated data)
 * @param jobId the job that made it
 * @param target the target's name
 * @param kind {@code database} or {@code source}
 * @param createdAt when the object became visible in storage
 * @param toolVersion the version of Kanbu Backup that wrote it
 * @param fileName the object's file name
 * @param pgServerVersion the database server's version, null for source backups
 * @param pgDumpVersion the pg_dump's version, null for source backups
 * @param sizes bytes at each pipeline stage
 * @param sha256 SHA-256 (hex) of the compressed plaintext
 * @param sha256Stored SHA-256 (hex) of the stored bytes
 * @param compression {@code gzip}, {@code zstd} or {@code none} (a {@link CompressionFormat#id()})
 * @param encryption how the object is encrypted, null if it is not
 * @param rowCounts per-table row counts of a database backup
 * @param manifestSha256 SHA-256 (hex) of the manifest's canonical content without this field; null
 *     only while the manifest is being built (see {@link ManifestCodec})
 * @param source what a source backup holds; null (and absent from the JSON, so that manifests
 *     written before the field keep their checksum) for database backups and for source manifests
 *     of earlier versions
 */
public record BackupManifest(
    int formatVersion,
    UUID backupId,
    UUID jobId,
    String target,
    String kind,
    Instant createdAt,
    String toolVersion,
    String fileName,
    @Nullable String pgServerVersion,
    @Nullable String pgDumpVersion,
    Sizes sizes,
    String sha256,
    String sha256Stored,
    String compression,
    @Nullable Encryption encryption,
    RowCounts rowCounts,
    @Nullable String manifestSha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Source source) {

  public static final int FORMAT_VERSION = 1;

  /** Suffix of a manifest's object key: {@code <object key>.manifest.json}. */
  public static final String KEY_SUFFIX = ".manifest.json";

  /** The {@link #compression} as a format. */
  public CompressionFormat compressionFormat() {
    return CompressionFormat.of(compression);
  }

  public BackupManifest {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(toolVersion, "toolVersion");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(compression, "compression");
    CompressionFormat.of(compression); // refuses a format this version cannot read, naming it
    Objects.requireNonNull(rowCounts, "rowCounts");
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters");
    }
    if (sha256Stored == null || !sha256Stored.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256Stored must be 64 lowercase hex characters");
    }
  }

  /** A manifest without {@link #source()} details: a database backup's. */
  public BackupManifest(
      int formatVersion,
      UUID backupId,
      UUID jobId,
      String target,
      String kind,
      Instant createdAt,
      String toolVersion,
      String fileName,
      @Nullable String pgServerVersion,
      @Nullable String pgDumpVersion,
      Sizes sizes,
      String sha256,
      String sha256Stored,
      String compression,
      @Nullable Encryption encryption,
      RowCounts rowCounts,
      @Nullable String manifestSha256) {
    this(
        formatVersion,
        backupId,
        jobId,
        target,
        kind,
        createdAt,
        toolVersion,
        fileName,
        pgServerVersion,
        pgDumpVersion,
        sizes,
        sha256,
        sha256Stored,
        compression,
        encryption,
        rowCounts,
        manifestSha256,
        null);
  }

  /** The manifest's object key for a backup object key. */
  public static String keyFor(String objectKey) {
    return objectKey + KEY_SUFFIX;
  }

  /**
   * The manifest of this backup after its data key was re-wrapped ({@code REKEY}): the stored bytes
   * changed (new header, same data), so their size and SHA-256 and the key id change; everything
   * else, including the SHA-256 of the compressed plaintext, stays. The self-checksum is cleared;
   * {@link ManifestCodec#encode} sets it.
   *
   * @throws IllegalStateException if this manifest describes an unencrypted backup
   */
  public BackupManifest rekeyed(String newKeyId, long storedBytes, String newSha256Stored) {
    if (encryption == null) {
      throw new IllegalStateException(
          "manifest of backup '"
              + backupId
              + "' describes an unencrypted backup: nothing to rekey");
    }
    return new BackupManifest(
        formatVersion,
        backupId,
        jobId,
        target,
        kind,
        createdAt,
        toolVersion,
        fileName,
        pgServerVersion,
        pgDumpVersion,
        new Sizes(sizes.raw(), sizes.compressed(), storedBytes),
        sha256,
        newSha256Stored,
        compression,
        new Encryption(
            encryption.formatVersion(),
            newKeyId,
            encryption.dataCipher(),
            encryption.segmentBytes()),
        rowCounts,
        null,
        source);
  }

  /**
   * The same manifest with other row counts and no checksum ({@link ManifestCodec#encode} seals it
   * again); for tools and tests that craft a manifest.
   */
  public BackupManifest withRowCounts(RowCounts counts) {
    return with(counts, null);
  }

  BackupManifest withManifestSha256(@Nullable String digest) {
    return with(rowCounts, digest);
  }

  private BackupManifest with(RowCounts counts, @Nullable String digest) {
    return new BackupManifest(
        formatVersion,
        backupId,
        jobId,
        target,
        kind,
        createdAt,
        toolVersion,
        fileName,
        pgServerVersion,
        pgDumpVersion,
        sizes,
        sha256,
        sha256Stored,
        compression,
        encryption,
        counts,
        digest,
        source);
  }

  /**
   * @param raw bytes read from the source
   * @param compressed bytes after gzip
   * @param stored bytes in storage (after encryption, when encrypted)
   */
  public record Sizes(long raw, long compressed, long stored) {
    public Sizes {
      if (raw < 0 || compressed < 0 || stored < 0) {
        throw new IllegalArgumentException("sizes cannot be negative");
      }
    }
  }

  /**
   * Encryption parameters; never a secret.
   *
   * @param formatVersion the encrypted file format's version (header byte 4)
   * @param keyId the keyring id of the key that wrapped the data key
   * @param dataCipher {@code AES256_GCM_HKDF_1MB}
   * @param segmentBytes ciphertext segment size
   */
  public record Encryption(int formatVersion, String keyId, String dataCipher, int segmentBytes) {
    public Encryption {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(dataCipher, "dataCipher");
    }
  }

  /**
   * What a source backup's tar holds. Optional in format version 1: manifests written before these
   * fields have none.
   *
   * @param fileCount regular files in the tar
   * @param totalBytes their content bytes
   * @param excludedPatterns the exclusion rules in force, in order (defaults, {@code
   *     .backupignore}, the target's globs)
   * @param git the commit and cleanliness of the tree when it is a git work tree; null when it is
   *     not one or git could not tell
   */
  public record Source(
      long fileCount, long totalBytes, List<String> excludedPatterns, @Nullable Git git) {
    public Source {
      if (fileCount < 0 || totalBytes < 0) {
        throw new IllegalArgumentException("fileCount and totalBytes cannot be negative");
      }
      excludedPatterns = List.copyOf(excludedPatterns);
    }
  }

  /**
   * @param commit the full id of {@code HEAD} (40 or 64 lowercase hex characters)
   * @param uncommittedChanges whether {@code git status --porcelain} listed anything
   */
  public record Git(String commit, boolean uncommittedChanges) {
    public Git {
      if (commit == null || !commit.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
        throw new IllegalArgumentException("git commit must be a full lowercase hex object id");
      }
    }
  }

  /**
   * Per-table row counts.
   *
   * @param mode {@code exact} (counted in the dump's snapshot), {@code estimate} ({@code
   *     pg_class.reltuples}) or {@code off}
   * @param tables every table, sorted by schema and name; empty when off
   */
  public record RowCounts(String mode, List<TableRows> tables) {
    public RowCounts {
      Objects.requireNonNull(mode, "mode");
      tables = List.copyOf(tables);
    }

    public static RowCounts off() {
      return new RowCounts("off", List.of());
    }
  }

  /**
   * @param rows the row count; for an estimate of a never-analyzed table, -1
   */
  public record TableRows(String schema, String table, long rows) {
    public TableRows {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(table, "table");
    }
  }
}
