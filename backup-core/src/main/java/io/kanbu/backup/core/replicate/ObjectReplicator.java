package io.kanbu.backup.core.replicate;

import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.manifest.ManifestCodec;
import io.kanbu.backup.core.manifest.ManifestCorruptedException;
import io.kanbu.backup.core.storage.ObjectAlreadyExistsException;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Copies one stored backup from one storage to another, streaming: the object's bytes are hashed
 * while they pass, and the copy becomes visible on the target only if their size and SHA-256 match
 * what the catalog recorded (the target's put is atomic, so a copy that does not match leaves
 * nothing). The manifest follows the object, after its self-checksum and backup id were checked, so
 * a rescan of the target never finds a manifest without its object. A copy already on the target is
 * replaced atomically.
 */
public final class ObjectReplicator {

  private static final ManifestCodec MANIFESTS = new ManifestCodec();
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  private static final int BUFFER = 64 * 1024;

  /**
   * What the copy on the target holds.
   *
   * @param storedSize its size
   * @param sha256Stored its SHA-256 (hex), equal to the source's
   */
  public record Copied(long storedSize, String sha256Stored) {}

  /**
   * Copies {@code source} from {@code from} to {@code to}.
   *
   * @throws SourceCopyException if {@code from} lacks the object or its manifest, or their content
   *     differs from the catalog's (try another copy)
   * @throws io.kanbu.backup.core.BackupException if writing to {@code to} fails (the target's
   *     problem: transient or permanent as the backend says)
   */
  public Copied copy(StorageBackend from, StorageBackend to, ReplicaSource source) {
    byte[] manifest = source.manifestKey() == null ? null : readManifest(from, source);
    Copied copied = copyObject(from, to, source);
    if (manifest != null) {
      String key = source.manifestKey();
      store(to, key, out -> out.write(manifest));
    }
    return copied;
  }

  /**
   * Puts a new object, or replaces one already there (an earlier copy, a concurrent replication).
   */
  private static void store(StorageBackend to, String key, StreamWriter writer) {
    if (to.stat(key).isPresent()) {
      to.replace(key, writer);
      return;
    }
    try {
      to.put(key, writer);
    } catch (ObjectAlreadyExistsException e) {
      to.replace(key, writer);
    }
  }

  private Copied copyObject(StorageBackend from, StorageBackend to, ReplicaSource source) {
    String key = source.objectKey();
    SourceFailure failure = new SourceFailure();
    StreamWriter writer = out -> failure.copied = transfer(from, source, out, failure);
    try {
      store(to, key, writer);
    } catch (RuntimeException e) {
      if (failure.error != null) {
        throw failure.error;
      }
      throw e;
    }
    if (failure.error != null) {
      throw failure.error; // a backend that swallowed the writer's exception
    }
    if (failure.copied == null) {
      throw new IllegalStateException("the target stored '" + key + "' without running the copy");
    }
    return failure.copied;
  }

  /**
   * Streams the source object into {@code out}, refusing a result that differs from the catalog.
   */
  private static Copied transfer(
      StorageBackend from, ReplicaSource source, OutputStream out, SourceFailure failure)
      throws IOException {
    String key = source.objectKey();
    MessageDigest sha256 = sha256();
    long size = 0;
    InputStream in;
    try {
      in = from.open(key);
    } catch (ObjectNotFoundException e) {
      throw failure.fail(
          new SourceCopyException(
              "backup '"
                  + source.backupId()
                  + "' object '"
                  + key
                  + "' is missing in storage '"
                  + from.name()
                  + "'",
              true,
              e));
    }
    try (in) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = readSource(in, buffer, from, key)) > 0) {
        sha256.update(buffer, 0, n);
        size += n;
        out.write(buffer, 0, n);
      }
    }
    String digest = HexFormat.of().formatHex(sha256.digest());
    if (size != source.storedSize() || !digest.equals(source.sha256Stored())) {
      throw failure.fail(
          new SourceCopyException(
              "stored sha256 check failed: backup '"
                  + source.backupId()
                  + "' object '"
                  + key
                  + "' in storage '"
                  + from.name()
                  + "' has "
                  + size
                  + " bytes hashing to "
                  + digest
                  + " but the catalog recorded "
                  + source.storedSize()
                  + " bytes hashing to "
                  + source.sha256Stored()
                  + "; that copy is damaged",
              false));
    }
    return new Copied(size, digest);
  }

  private static int readSource(InputStream in, byte[] buffer, StorageBackend from, String key) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      // a read of the source that breaks off is the source's problem, but may pass: retry later
      throw new TransientBackupException(
          "unable to read '" + key + "' from storage '" + from.name() + "': " + e.getMessage(), e);
    }
  }

  private static byte[] readManifest(StorageBackend from, ReplicaSource source) {
    String key = java.util.Objects.requireNonNull(source.manifestKey());
    byte[] bytes;
    try (InputStream in = from.open(key)) {
      bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    } catch (ObjectNotFoundException e) {
      throw new SourceCopyException(
          "backup '"
              + source.backupId()
              + "' manifest '"
              + key
              + "' is missing in storage '"
              + from.name()
              + "'",
          true,
          e);
    } catch (IOException e) {
      throw new TransientBackupException(
          "unable to read manifest '" + key + "' from storage '" + from.name() + "': " + e, e);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new SourceCopyException(
          "manifest '" + key + "' in storage '" + from.name() + "' is larger than 4 MiB", false);
    }
    BackupManifest manifest;
    try {
      manifest = MANIFESTS.decode(bytes, key);
    } catch (ManifestCorruptedException e) {
      throw new SourceCopyException(
          "manifest check failed in storage '" + from.name() + "': " + e.getMessage(), false, e);
    }
    if (!manifest.backupId().equals(source.backupId())
        || !manifest.sha256Stored().equals(source.sha256Stored())) {
      throw new SourceCopyException(
          "manifest '"
              + key
              + "' in storage '"
              + from.name()
              + "' describes backup "
              + manifest.backupId()
              + " with stored sha256 "
              + manifest.sha256Stored()
              + ", not what the catalog records for backup "
              + source.backupId(),
          false);
    }
    return bytes;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }

  /** Remembers why the source failed, whatever the target backend makes of the writer's error. */
  private static final class SourceFailure {
    private @Nullable SourceCopyException error;
    private @Nullable Copied copied;

    SourceCopyException fail(SourceCopyException e) {
      this.error = e;
      return e;
    }
  }
}
