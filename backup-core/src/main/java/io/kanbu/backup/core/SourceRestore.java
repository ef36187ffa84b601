package io.kanbu.backup.core;

import io.kanbu.backup.core.source.tar.SourceArchiveExtractor;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.core.verify.ExpectedBackup;
import io.kanbu.backup.core.verify.VerificationListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Restores a source backup into a directory: the stored object is read once through the {@link
 * BackupVerifier} (stored SHA-256, decryption, SHA-256 of the compressed plaintext, gunzip to the
 * end, manifest) while {@link SourceArchiveExtractor} extracts the tar from its plaintext.
 *
 * <p>The tar is extracted into a private staging directory beside the destination ({@code
 * .<name>.kanbu-restore-<job id>-<attempt>}, same parent, so the same filesystem) and moved into
 * place by one atomic rename only when every check passed: the destination never holds a partial
 * tree, and an attempt that died half way (a worker killed mid-restore) leaves the destination as
 * it was, so the job's next attempt can run. That attempt first removes the staging directories
 * earlier attempts of the same job left. If any check or the extraction fails, the staging
 * directory is removed (and the destination's parents, when this restore created them).
 *
 * <p>The directory must be absolute and empty or not yet exist. It may not be the target's live
 * source tree, lie inside it or contain it, unless the request confirms that with the target's name
 * typed again, and even then it must be empty: a restore never writes over or beside existing
 * files. To replace a live tree, restore beside it and swap the directories.
 */
public final class SourceRestore {

  private final BackupVerifier verifier;
  private final SourceArchiveExtractor extractor;

  public SourceRestore(BackupVerifier verifier, SourceArchiveExtractor extractor) {
    this.verifier = verifier;
    this.extractor = extractor;
  }

  /**
   * Where to restore and what the operator confirmed.
   *
   * @param directory the requested directory, as sent
   * @param targetName the target the backup belongs to
   * @param liveTree the target's live source tree on this host; null when it has none here
   * @param overwriteLiveTree the target's name typed again to allow a directory that is, lies
   *     inside or contains the live tree; null when not confirmed
   */
  public record Destination(
      String directory,
      String targetName,
      @Nullable Path liveTree,
      @Nullable String overwriteLiveTree) {}

  /**
   * What was restored.
   *
   * @param directory the directory, absolute and normalized
   * @param files regular files
   * @param directories directories
   * @param symlinks symbolic links
   * @param rawBytes bytes of the tar
   * @param warnings each entry that was not restored, naming it and why (a link pointing outside)
   */
  public record Outcome(
      Path directory,
      long files,
      long directories,
      long symlinks,
      long rawBytes,
      List<String> warnings) {

    public Outcome {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Checks the destination without writing anything.
   *
   * @return the directory to extract into, absolute and normalized
   * @throws PermanentBackupException saying why the directory is refused
   */
  public static Path checkDestination(Destination destination) {
    String requested = destination.directory();
    if (requested.isBlank() || requested.indexOf('\0') >= 0 || !requested.startsWith("/")) {
      throw new PermanentBackupException(
          "restore directory '"
              + printable(requested)
              + "' is not an absolute path; send one starting with '/'");
    }
    Path directory = Path.of(requested).normalize();
    Path live = destination.liveTree();
    if (live != null) {
      Path realDirectory = realPathOfExistingPart(directory);
      Path realLive = realPathOfExistingPart(live.toAbsolutePath().normalize());
      String relation =
          realDirectory.equals(realLive)
              ? "is"
              : realDirectory.startsWith(realLive)
                  ? "lies inside"
                  : realLive.startsWith(realDirectory) ? "contains" : null;
      if (relation != null) {
        String confirmation = destination.overwriteLiveTree();
        if (confirmation == null) {
          throw new PermanentBackupException(
              "restore directory '"
                  + directory
                  + "' "
                  + relation
                  + " the live source tree '"
                  + live
                  + "' of target '"
                  + destination.targetName()
                  + "'; restore into an empty directory beside it and swap the two, or confirm"
                  + " with overwriteLiveTree set to the target's name (the directory must still be"
                  + " empty)");
        }
        if (!confirmation.equals(destination.targetName())) {
          throw new PermanentBackupException(
              "overwriteLiveTree '"
                  + printable(confirmation)
                  + "' does not match the target's name '"
                  + destination.targetName()
                  + "'; type the target's name to confirm");
        }
      }
    }
    if (Files.isSymbolicLink(directory)) {
      throw new PermanentBackupException(
          "restore directory '"
              + directory
              + "' is a symbolic link; name the directory it points to instead");
    }
    if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        throw new PermanentBackupException(
            "restore directory '" + directory + "' exists and is not a directory");
      }
      try {
        if (!isEmpty(directory)) {
          throw new PermanentBackupException(
              "restore directory '"
                  + directory
                  + "' is not empty; restore into an empty or new directory, nothing is ever"
                  + " written over existing files");
        }
      } catch (IOException e) {
        throw new PermanentBackupException(
            "restore directory '" + directory + "' cannot be read: " + e.getMessage(), e);
      }
    }
    return directory;
  }

  /**
   * Restores the backup {@code expected} describes into the destination's directory: {@link
   * #stage}, then {@link Staged#moveIntoPlace()}.
   *
   * @throws PermanentBackupException as {@link #stage} and {@link Staged#moveIntoPlace()} do;
   *     nothing is left behind
   * @throws TransientBackupException if storage could not be read; nothing is left behind
   */
  public Outcome restore(
      StorageBackend storage,
      ExpectedBackup expected,
      Destination destination,
      UUID jobId,
      int attempt) {
    try (Staged staged = stage(storage, expected, destination, jobId, attempt)) {
      return staged.moveIntoPlace();
    }
  }

  /**
   * Checks the destination, then verifies the backup while extracting it into the staging directory
   * of this attempt of job {@code jobId}, after removing those of its earlier attempts. The caller
   * moves the result into place, or closes it to remove it.
   *
   * @throws PermanentBackupException if the destination is refused (nothing was written), a check
   *     failed ({@link io.kanbu.backup.core.verify.VerificationFailedException} naming it) or the
   *     archive holds an entry that would escape the directory; the staging directory was removed
   * @throws TransientBackupException if storage could not be read; the staging directory was
   *     removed
   */
  public Staged stage(
      StorageBackend storage,
      ExpectedBackup expected,
      Destination destination,
      UUID jobId,
      int attempt) {
    Path directory = checkDestination(destination);
    Path parent = directory.getParent();
    if (parent == null) {
      throw new PermanentBackupException("restore directory '/' is refused; name a directory");
    }
    Path createdParent = createMissing(parent);
    String stagingPrefix = stagingPrefix(directory, jobId);
    Path staging = parent.resolve(stagingPrefix + attempt);
    try {
      removeStaleStaging(parent, stagingPrefix);
      requireSameFilesystem(directory, parent);
      createStaging(staging);
      AtomicReference<SourceArchiveExtractor.Extracted> extracted = new AtomicReference<>();
      BackupVerifier.Verified verified =
          verifier.verify(
              storage,
              expected,
              VerificationListener.NONE,
              tar -> extracted.set(extractor.extract(tar, staging)));
      SourceArchiveExtractor.Extracted counts = extracted.get();
      if (counts == null) {
        throw new IllegalStateException("the verifier did not hand over the plaintext");
      }
      return new Staged(directory, staging, createdParent, counts, verified.rawBytes());
    } catch (RuntimeException | Error e) {
      removeStaging(staging, directory);
      removeCreatedParents(parent, createdParent);
      throw e;
    }
  }

  /**
   * A backup extracted into its staging directory, verified, not yet in place. Closing it removes
   * the staging directory unless it was moved into place.
   */
  public static final class Staged implements AutoCloseable {

    private final Path directory;
    private final Path staging;
    private final @Nullable Path createdParent;
    private final SourceArchiveExtractor.Extracted counts;
    private final long rawBytes;
    private boolean moved;

    private Staged(
        Path directory,
        Path staging,
        @Nullable Path createdParent,
        SourceArchiveExtractor.Extracted counts,
        long rawBytes) {
      this.directory = directory;
      this.staging = staging;
      this.createdParent = createdParent;
      this.counts = counts;
      this.rawBytes = rawBytes;
    }

    /**
     * Moves the extracted tree to the destination with one atomic rename: the destination appears
     * complete or not at all. An empty directory there is replaced (its permissions are kept); one
     * that is no longer empty, or anything else there, refuses the move and nothing changes.
     *
     * @throws PermanentBackupException if the destination is no longer empty or new, or the rename
     *     failed; the destination is as it was
     */
    public Outcome moveIntoPlace() {
      try {
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(
              staging, Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS));
        }
        // rename(2): replaces an empty directory, fails on anything else (checked again here,
        // atomically, since the destination was checked before the extraction)
        Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // the JDK reports rename's ENOTEMPTY as a plain FileSystemException: look instead
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(directory)) {
          throw new PermanentBackupException(
              "restore directory '"
                  + directory
                  + "' was written to while the backup was extracted and is no longer empty;"
                  + " nothing was moved into it, restore into an empty or new directory",
              e);
        }
        throw new PermanentBackupException(
            "unable to move the restored tree from '"
                + staging
                + "' to '"
                + directory
                + "': "
                + e
                + "; the restore directory is as it was",
            e);
      }
      moved = true;
      return new Outcome(
          directory,
          counts.files(),
          counts.directories(),
          counts.symlinks(),
          rawBytes,
          counts.warnings());
    }

    /** Removes the staging directory unless the tree was moved into place. */
    @Override
    public void close() {
      if (!moved) {
        removeStaging(staging, directory);
        Path parent = directory.getParent();
        if (parent != null) {
          removeCreatedParents(parent, createdParent);
        }
      }
    }
  }

  private static boolean isEmptyDirectory(Path directory) {
    try {
      return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) && isEmpty(directory);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      return !children.iterator().hasNext();
    }
  }

  /**
   * {@code .<name>.kanbu-restore-<job id>-}: the attempt's number completes it. The name is cut to
   * 32 characters so the whole stays within a file name's 255 bytes.
   */
  private static String stagingPrefix(Path directory, UUID jobId) {
    String name = String.valueOf(directory.getFileName());
    StringBuilder cut = new StringBuilder();
    name.codePoints().limit(32).forEach(cut::appendCodePoint);
    return "." + cut + ".kanbu-restore-" + jobId + "-";
  }

  /** Removes the staging directories of earlier attempts of the job (a worker died in them). */
  private static void removeStaleStaging(Path parent, String stagingPrefix) {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(
            parent,
            p ->
                p.getFileName().toString().startsWith(stagingPrefix)
                    && p.getFileName().toString().substring(stagingPrefix.length()).matches("\\d+")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (Path p : stale) {
        deleteTree(p);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new PermanentBackupException(
          "unable to remove the staging directory an earlier attempt of this restore left in '"
              + parent
              + "' ("
              + e.getMessage()
              + "); remove it by hand",
          e);
    }
  }

  /**
   * The rename at the end cannot cross filesystems: an existing destination that is a mount point
   * cannot be replaced by a directory staged beside it.
   */
  private static void requireSameFilesystem(Path directory, Path parent) {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      if (!Files.getFileStore(directory).equals(Files.getFileStore(parent))) {
        throw new PermanentBackupException(
            "restore directory '"
                + directory
                + "' is a mount point, and a restore is staged beside its destination and"
                + " renamed into place; restore into a new directory inside it");
      }
    } catch (IOException e) {
      throw new PermanentBackupException(
          "restore directory '" + directory + "' cannot be examined: " + e.getMessage(), e);
    }
  }

  private static void createStaging(Path staging) {
    try {
      Files.createDirectory(staging);
    } catch (IOException e) {
      throw new PermanentBackupException(
          "unable to create the staging directory '"
              + staging
              + "' beside the restore directory: "
              + e
              + "; the worker needs write access to the restore directory's parent",
          e);
    }
  }

  /** The real path of the longest existing prefix of {@code path}, with the rest appended. */
  private static Path realPathOfExistingPart(Path path) {
    Path existing = path;
    List<Path> rest = new ArrayList<>();
    while (existing != null) {
      try {
        Path real = existing.toRealPath();
        for (Path name : rest.reversed()) {
          real = real.resolve(name);
        }
        return real.normalize();
      } catch (NoSuchFileException e) {
        rest.add(existing.getFileName());
        existing = existing.getParent();
      } catch (IOException e) {
        throw new PermanentBackupException(
            "cannot resolve '" + path + "' to check the restore directory: " + e.getMessage(), e);
      }
    }
    return path;
  }

  /**
   * Creates the directory and its missing parents.
   *
   * @return the topmost directory created, null if it existed
   */
  private static @Nullable Path createMissing(Path directory) {
    Path topmost = null;
    for (Path p = directory; p != null && !Files.exists(p); p = p.getParent()) {
      topmost = p;
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new PermanentBackupException(
          "the parent '"
              + directory
              + "' of the restore directory cannot be created: "
              + e
              + "; create it or choose another directory",
          e);
    }
    return topmost;
  }

  /** Removes the parents this restore created, as far as they are empty. */
  private static void removeCreatedParents(Path parent, @Nullable Path createdParent) {
    if (createdParent == null) {
      return;
    }
    for (Path p = parent; p != null && p.startsWith(createdParent); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // not empty (something else appeared there) or not ours to remove: keep it
      }
    }
  }

  /** Removes what a failed restore extracted: its staging directory. */
  private static void removeStaging(Path staging, Path directory) {
    try {
      deleteTree(staging);
    } catch (IOException | UncheckedIOException e) {
      throw new PermanentBackupException(
          "the restore into '"
              + directory
              + "' failed and its staging directory '"
              + staging
              + "' could not all be removed ("
              + e.getMessage()
              + "); remove it by hand",
          e);
    }
  }

  /** Deletes a directory tree without following links; nothing if it does not exist. */
  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // an extracted directory may have been restored read-only: its owner may write it again
    // (top-down, before the walk lists it)
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(SourceRestore::makeOwnerWritable);
    }
    List<Path> all;
    try (Stream<Path> paths = Files.walk(root)) {
      all = paths.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  private static void makeOwnerWritable(Path dir) {
    try {
      Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
      mode.addAll(
          List.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
      Files.setPosixFilePermissions(dir, mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
