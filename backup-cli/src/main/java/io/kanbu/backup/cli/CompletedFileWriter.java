package io.kanbu.backup.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a file so that it appears under its name only when complete: into a hidden temporary file
 * beside it (mode 0600: it may hold plaintext), forced to disk, then renamed atomically. On any
 * failure the temporary file is removed and nothing looks complete.
 */
final class CompletedFileWriter {

  /** Writes the content into the stream it is given; must not close it. */
  @FunctionalInterface
  interface Content<T> {
    T writeTo(OutputStream out) throws IOException;
  }

  private CompletedFileWriter() {}

  /**
   * @param replace whether an existing {@code target} may be replaced
   * @return what {@code content} returned
   * @throws CliException ({@link ExitCodes#OUTPUT_EXISTS}) if {@code target} exists and {@code
   *     replace} is false, checked before writing and again before the rename
   */
  static <T> T write(Path target, boolean replace, Content<T> content) throws IOException {
    Path absolute = target.toAbsolutePath();
    refuseExisting(absolute, replace);
    Path temp =
        absolute.resolveSibling(
            "." + absolute.getFileName() + ".kanbu-tmp-" + UUID.randomUUID().toString());
    boolean done = false;
    try {
      T result;
      try (FileChannel channel = FileChannel.open(temp, createOptions(), ownerOnly())) {
        OutputStream out = Channels.newOutputStream(channel);
        result = content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (replace) {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } else {
        refuseExisting(absolute, false);
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      }
      done = true;
      return result;
    } catch (FileAlreadyExistsException e) {
      throw new CliException(
          ExitCodes.OUTPUT_EXISTS, "output '" + target + "' already exists; use --force", e);
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void refuseExisting(Path target, boolean replace) {
    if (!replace && Files.exists(target)) {
      throw new CliException(
          ExitCodes.OUTPUT_EXISTS,
          "output '" + target + "' already exists: refusing to overwrite it; use --force");
    }
  }

  private static Set<StandardOpenOption> createOptions() {
    return Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private static FileAttribute<?>[] ownerOnly() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
  }
}
