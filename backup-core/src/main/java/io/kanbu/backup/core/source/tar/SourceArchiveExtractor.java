package io.kanbu.backup.core.source.tar;

import io.kanbu.backup.core.PermanentBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a source archive (an uncompressed tar stream) into an empty directory, never writing
 * outside it. What each entry type may do:
 *
 * <ul>
 *   <li>Any entry whose name is absolute or climbs out with {@code ..}, or that lies below a
 *       symbolic link, refuses the whole archive: our archiver never writes such names, so the
 *       archive was crafted.
 *   <li>A symbolic link whose target stays inside the directory is recreated as a link. One whose
 *       target is absolute or climbs out (the archiver stores links as they are, so a tree with a
 *       link to {@code /etc} backs up with it) is skipped and becomes a warning naming the link and
 *       its target; everything else is extracted.
 *   <li>A hard link refuses the archive wherever it points: source archives never contain one.
 *   <li>Devices and FIFOs refuse the archive; restores never create them.
 * </ul>
 *
 * <p>Regular files, directories and symbolic links are restored with their permission bits (setuid
 * and setgid dropped) and modification times; nothing else is created. Links are created but never
 * followed: nothing is written through one.
 *
 * <p>The check happens entry by entry while streaming, so a refused archive may leave the entries
 * before the bad one in the directory; the caller extracts into a fresh directory and removes it on
 * failure.
 */
public final class SourceArchiveExtractor {

  /**
   * What was extracted.
   *
   * @param files regular files
   * @param directories directories
   * @param symlinks symbolic links
   * @param warnings each entry that was skipped, naming it and why (a link pointing outside)
   */
  public record Extracted(long files, long directories, long symlinks, List<String> warnings) {

    public Extracted {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * @throws PermanentBackupException if {@code target} is not an empty directory or an entry is
   *     refused, naming the entry
   */
  public Extracted extract(InputStream tar, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new PermanentBackupException(
          "restore directory '" + root + "' is not a directory; create an empty one");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
      if (children.iterator().hasNext()) {
        throw new PermanentBackupException(
            "restore directory '" + root + "' is not empty; restore into an empty directory");
      }
    }
    long files = 0;
    long directories = 0;
    long symlinks = 0;
    List<Runnable> directoryTimes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<Path> skippedLinks = new HashSet<>();
    TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8");
    TarArchiveEntry entry;
    while ((entry = in.getNextEntry()) != null) {
      String name = entry.getName();
      Path path = resolveInside(root, name);
      requireNoLinkAbove(root, path, name, skippedLinks);
      if (entry.isDirectory()) {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(path);
        }
        Path dir = path;
        int mode = entry.getMode();
        FileTime time = entry.getLastModifiedTime();
        // applied at the end: creating children would change a directory's modification time
        directoryTimes.add(() -> restoreAttributes(dir, mode, time));
        directories++;
      } else if (entry.isSymbolicLink()) {
        String linkTarget = entry.getLinkName();
        Path resolved = path.getParent().resolve(linkTarget).normalize();
        if (linkTarget.startsWith("/") || !resolved.startsWith(root)) {
          warnings.add(
              printable(name)
                  + ": symbolic link to '"
                  + printable(linkTarget)
                  + "' points outside the restore directory; not restored");
          skippedLinks.add(path);
          continue;
        }
        Files.createDirectories(path.getParent());
        Files.createSymbolicLink(path, Path.of(linkTarget));
        symlinks++;
      } else if (entry.isLink()) {
        throw refused(name, "it is a hard link, which source archives never contain");
      } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
        throw refused(name, "it is a special file (device, FIFO), which restores never create");
      } else if (entry.isFile()) {
        Files.createDirectories(path.getParent());
        try (OutputStream out =
            Files.newOutputStream(
                path,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        }
        restoreAttributes(path, entry.getMode(), entry.getLastModifiedTime());
        files++;
      } else {
        throw refused(name, "its entry type is not one a source archive holds");
      }
    }
    directoryTimes.reversed().forEach(Runnable::run);
    return new Extracted(files, directories, symlinks, warnings);
  }

  private static Path resolveInside(Path root, String name) {
    if (name.startsWith("/") || name.isEmpty()) {
      throw refused(name, "its name is absolute or empty");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        throw refused(name, "its name climbs out with '..'");
      }
    }
    Path path = root.resolve(name).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw refused(name, "it resolves outside the directory");
    }
    return path;
  }

  /**
   * An entry below a link the archive created earlier would be written wherever the link points;
   * one below a link that was skipped would put a directory where the tree had a link.
   */
  private static void requireNoLinkAbove(
      Path root, Path path, String name, Set<Path> skippedLinks) {
    for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p) || skippedLinks.contains(p)) {
        throw refused(name, "it lies below the symbolic link '" + root.relativize(p) + "'");
      }
    }
  }

  private static void restoreAttributes(Path path, int mode, FileTime time) {
    try {
      Files.setPosixFilePermissions(path, permissions(mode));
      Files.setLastModifiedTime(path, time);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < all.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(all[i]);
      }
    }
    return set;
  }

  private static PermanentBackupException refused(String name, String why) {
    return new PermanentBackupException(
        "archive entry '"
            + printable(name)
            + "' refused: "
            + why
            + "; nothing outside the restore"
            + " directory is ever written");
  }

  private static String printable(String name) {
    return name.replaceAll("\\p{Cntrl}", "?");
  }
}
