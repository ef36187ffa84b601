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
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Restores a source backup into a directory: the stored object is read once through the {@link
 * BackupVerifier} (stored SHA-256, decryption, SHA-256 of the compressed plaintext, gunzip to the
 * end, manifest) while {@link SourceArchiveExtractor} extracts the tar from its plaintext. If any
 * check or the extraction fails, everything extracted is removed again (and the directory too, when
 * this restore created it), so a failed restore leaves the directory as it was.
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
   */
  public record Outcome(
      Path directory, long files, long directories, long symlinks, long rawBytes) {}

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
      try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
        if (children.iterator().hasNext()) {
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
   * Restores the backup {@code expected} describes into the destination's directory.
   *
   * @throws PermanentBackupException if the destination is refused (nothing was written), a check
   *     failed ({@link io.kanbu.backup.core.verify.VerificationFailedException} naming it) or the
   *     archive holds an entry that would escape the directory; everything extracted was removed
   * @throws TransientBackupException if storage could not be read; everything extracted was removed
   */
  public Outcome restore(StorageBackend storage, ExpectedBackup expected, Destination destination) {
    Path directory = checkDestination(destination);
    Path created = createMissing(directory);
    AtomicReference<SourceArchiveExtractor.Extracted> extracted = new AtomicReference<>();
    BackupVerifier.Verified verified;
    try {
      verified =
          verifier.verify(
              storage,
              expected,
              VerificationListener.NONE,
              tar -> extracted.set(extractor.extract(tar, directory)));
    } catch (RuntimeException | Error e) {
      removeExtracted(directory, created);
      throw e;
    }
    SourceArchiveExtractor.Extracted counts = extracted.get();
    if (counts == null) {
      throw new IllegalStateException("the verifier did not hand over the plaintext");
    }
    return new Outcome(
        directory, counts.files(), counts.directories(), counts.symlinks(), verified.rawBytes());
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
          "restore directory '"
              + directory
              + "' cannot be created: "
              + e
              + "; create it (empty) or choose another",
          e);
    }
    return topmost;
  }

  /** Removes what a failed restore wrote: the directory's content, or what it created. */
  private static void removeExtracted(Path directory, @Nullable Path created) {
    Path root = created != null ? created : directory;
    try {
      // an extracted directory may have been restored read-only: its owner may write it again
      // (top-down, before the walk lists it); the directory that existed before keeps its mode
      try (Stream<Path> paths = Files.walk(root)) {
        paths
            .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .filter(p -> created != null || !p.equals(root))
            .forEach(SourceRestore::makeOwnerWritable);
      }
      List<Path> all;
      try (Stream<Path> paths = Files.walk(root)) {
        all = paths.sorted(Comparator.reverseOrder()).toList();
      }
      for (Path p : all) {
        if (created != null || !p.equals(root)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new PermanentBackupException(
          "the restore failed and what it extracted into '"
              + directory
              + "' could not all be removed ("
              + e.getMessage()
              + "); remove it by hand",
          e);
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
