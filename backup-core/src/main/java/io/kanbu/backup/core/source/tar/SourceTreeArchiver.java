package io.kanbu.backup.core.source.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory tree as a tar archive into a stream, in one pass and constant memory.
 *
 * <ul>
 *   <li>PAX headers for long names, sizes over 8 GiB and non-ASCII (UTF-8) names; stock GNU and BSD
 *       tar read them.
 *   <li>Modes (with setuid, setgid and sticky bits), modification times, owner and group are kept.
 *   <li>Symbolic links are stored as links, never followed, wherever they point.
 *   <li>Sockets, FIFOs and devices are skipped and listed.
 *   <li>Entries are written in name order, relative to the root, without a leading {@code ./}.
 * </ul>
 *
 * <p>A file is stored with the size it had when listed (a tar header precedes the data). A file
 * that grows, shrinks, changes or vanishes while it is read, or cannot be read, becomes a warning
 * naming its path; a shrunken or half-read file is padded with zero bytes to its listed size.
 * Nothing is skipped silently.
 */
public final class SourceTreeArchiver {

  /** Opens a regular file for reading; a seam for tests that simulate a file changing. */
  @FunctionalInterface
  public interface FileOpener {
    InputStream open(Path file) throws IOException;
  }

  /** Opens without following a symbolic link that replaced the file after it was listed. */
  public static final FileOpener NO_FOLLOW =
      file -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);

  private static final int TYPE_FILE = 0100000;
  private static final int TYPE_DIRECTORY = 0040000;
  private static final int TYPE_SYMLINK = 0120000;
  private static final int PERMISSION_BITS = 07777;

  private final FileOpener opener;
  private final int bufferSize;

  public SourceTreeArchiver() {
    this(NO_FOLLOW, 64 * 1024);
  }

  public SourceTreeArchiver(FileOpener opener, int bufferSize) {
    this.opener = opener;
    this.bufferSize = bufferSize;
  }

  /**
   * Archives {@code root} (a directory, not itself stored as an entry) into {@code out}, which is
   * finished as a tar stream but not closed.
   *
   * @throws IOException if {@code out} fails or the root cannot be listed; problems with single
   *     entries are warnings in the report instead
   */
  public ArchiveReport write(Path root, IgnoreRules rules, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    Walk walk = new Walk(root, rules, tar);
    walk.directory(root, "", true);
    tar.finish();
    tar.flush();
    return new ArchiveReport(
        walk.files,
        walk.directories,
        walk.symlinks,
        walk.bytes,
        walk.excluded,
        rules.patterns(),
        walk.special,
        walk.warnings);
  }

  private final class Walk {
    final Path root;
    final IgnoreRules rules;
    final TarArchiveOutputStream tar;
    final byte[] buffer = new byte[bufferSize];
    long files;
    long directories;
    long symlinks;
    long bytes;
    long excluded;
    final List<String> special = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Walk(Path root, IgnoreRules rules, TarArchiveOutputStream tar) {
      this.root = root;
      this.rules = rules;
      this.tar = tar;
    }

    void directory(Path dir, String prefix, boolean isRoot) throws IOException {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        stream.forEach(children::add);
      } catch (IOException e) {
        if (isRoot) {
          throw e;
        }
        warnings.add(
            prefix + ": directory could not be listed (" + reason(e) + "); its content is missing");
        return;
      }
      children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      for (Path child : children) {
        entry(child, prefix + child.getFileName().toString());
      }
    }

    void entry(Path path, String name) throws IOException {
      PosixFileAttributes attrs;
      int mode;
      try {
        attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        mode = unixMode(path, attrs);
      } catch (NoSuchFileException e) {
        warnings.add(name + ": vanished before it was read; not stored");
        return;
      } catch (IOException e) {
        warnings.add(name + ": attributes could not be read (" + reason(e) + "); not stored");
        return;
      }
      if (rules.excludes(name, attrs.isDirectory())) {
        excluded++;
        return;
      }
      if (attrs.isSymbolicLink()) {
        symlink(path, name, attrs, mode);
      } else if (attrs.isDirectory()) {
        TarArchiveEntry entry = new TarArchiveEntry(name + "/");
        describe(entry, attrs, TYPE_DIRECTORY | (mode & PERMISSION_BITS));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        directories++;
        directory(path, name + "/", false);
      } else if (attrs.isRegularFile()) {
        regularFile(path, name, attrs, mode);
      } else {
        special.add(name);
        warnings.add(name + ": special file (socket, FIFO or device) skipped");
      }
    }

    void symlink(Path path, String name, PosixFileAttributes attrs, int mode) throws IOException {
      String target;
      try {
        target = Files.readSymbolicLink(path).toString();
      } catch (IOException e) {
        warnings.add(name + ": symbolic link could not be read (" + reason(e) + "); not stored");
        return;
      }
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      entry.setLinkName(target);
      describe(entry, attrs, TYPE_SYMLINK | (mode & PERMISSION_BITS));
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      symlinks++;
    }

    void regularFile(Path path, String name, PosixFileAttributes attrs, int mode)
        throws IOException {
      InputStream in;
      try {
        in = opener.open(path);
      } catch (NoSuchFileException e) {
        warnings.add(name + ": vanished before it was read; not stored");
        return;
      } catch (AccessDeniedException e) {
        warnings.add(name + ": cannot be read (permission denied); not stored");
        return;
      } catch (IOException e) {
        warnings.add(name + ": cannot be read (" + reason(e) + "); not stored");
        return;
      }
      long size = attrs.size();
      TarArchiveEntry entry = new TarArchiveEntry(name);
      describe(entry, attrs, TYPE_FILE | (mode & PERMISSION_BITS));
      entry.setSize(size);
      tar.putArchiveEntry(entry);
      long copied = 0;
      String problem = null;
      // read errors are the file's problem (a warning); write errors are the archive's (thrown)
      try {
        while (copied < size) {
          int n;
          try {
            n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
          } catch (IOException e) {
            problem = "read failed after " + copied + " of " + size + " bytes (" + reason(e) + ")";
            break;
          }
          if (n < 0) {
            problem = "shrank from " + size + " to " + copied + " bytes while read";
            break;
          }
          tar.write(buffer, 0, n);
          copied += n;
        }
        if (problem == null && readsMore(in)) {
          problem =
              "grew while read; only its first "
                  + size
                  + " bytes (its size when listed) are stored";
        }
      } finally {
        closeQuietly(in);
      }
      if (copied < size) {
        padWithZeros(size - copied);
        problem = problem + "; the rest of the entry is zero bytes";
      }
      tar.closeArchiveEntry();
      files++;
      bytes += size;
      if (problem == null) {
        problem = changedSinceListed(path, attrs);
      }
      if (problem != null) {
        warnings.add(name + ": " + problem);
      }
    }

    String changedSinceListed(Path path, PosixFileAttributes listed) {
      try {
        PosixFileAttributes now =
            Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (now.size() != listed.size()
            || !now.lastModifiedTime().equals(listed.lastModifiedTime())) {
          return "changed while read (size "
              + listed.size()
              + " → "
              + now.size()
              + ", modified "
              + listed.lastModifiedTime()
              + " → "
              + now.lastModifiedTime()
              + "); the stored copy may be inconsistent";
        }
        return null;
      } catch (NoSuchFileException e) {
        return "vanished while read; the stored copy may be incomplete";
      } catch (IOException e) {
        return null; // it was read completely; a failing second look is not a problem of the copy
      }
    }

    boolean readsMore(InputStream in) {
      try {
        return in.read() >= 0;
      } catch (IOException e) {
        return false; // everything listed was read; a failing extra read changes nothing stored
      }
    }

    void closeQuietly(InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // the content was read (or its failure recorded); closing cannot change what was stored
      }
    }

    void padWithZeros(long count) throws IOException {
      java.util.Arrays.fill(buffer, (byte) 0);
      long left = count;
      while (left > 0) {
        int n = (int) Math.min(buffer.length, left);
        tar.write(buffer, 0, n);
        left -= n;
      }
    }

    void describe(TarArchiveEntry entry, PosixFileAttributes attrs, int mode) {
      entry.setMode(mode);
      FileTime modified = attrs.lastModifiedTime();
      entry.setLastModifiedTime(modified);
      entry.setUserName(attrs.owner().getName());
      entry.setGroupName(attrs.group().getName());
    }
  }

  private static int unixMode(Path path, PosixFileAttributes attrs) throws IOException {
    try {
      Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (mode instanceof Integer m) {
        return m;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // not a unix file system view; the permission bits below are all we can keep
    }
    int bits = 0;
    for (PosixFilePermission p : attrs.permissions()) {
      bits |= 1 << (8 - p.ordinal());
    }
    return bits;
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
