package io.kanbu.backup.core.storage.local;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.storage.ObjectAlreadyExistsException;
import io.kanbu.backup.core.storage.ObjectKeys;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageCapabilities;
import io.kanbu.backup.core.storage.StoredObject;
import io.kanbu.backup.core.storage.StreamWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores objects as files below a root directory. A put writes to a hidden temporary file in the
 * target directory, forces it to disk, renames it atomically to its key and forces the directory,
 * so a crash leaves either the whole object or none (plus, at worst, a temporary file that {@link
 * #list} ignores). A replace does the same over the existing file: a crash leaves the old content
 * or the new.
 */
public final class LocalStorageBackend implements StorageBackend {

  private static final Logger log = LoggerFactory.getLogger(LocalStorageBackend.class);
  private static final String TEMP_MARKER = ".kanbu-tmp-";
  private final Path root;
  private final String name;
  private final String setting;

  /** Local storage {@code local} at {@code BACKUP_LOCAL_PATH}. */
  public LocalStorageBackend(Path root) {
    this(root, "local", "BACKUP_LOCAL_PATH");
  }

  /**
   * A folder used as storage under another name, e.g. the original Kanbu's mounted Drive folder.
   *
   * @param name the storage's name in messages and the catalog
   * @param setting the variable that configures {@code root}, named in errors
   */
  public LocalStorageBackend(Path root, String name, String setting) {
    this.root = root.toAbsolutePath().normalize();
    this.name = name;
    this.setting = setting;
  }

  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public StorageCapabilities capabilities() {
    return new StorageCapabilities(true, true, true);
  }

  @Override
  public StoredObject put(String key, StreamWriter writer) {
    Path target = resolve(key);
    createDirectories(target.getParent(), key);
    if (Files.exists(target)) {
      throw new ObjectAlreadyExistsException(name(), key);
    }
    return writeAndRename(
        key,
        target,
        writer,
        () -> {
          // Files.move with ATOMIC_MOVE is rename(2), which would replace a file that appeared
          // since the check above; keys are derived from unique ids, so that race is not a real
          // one.
          if (Files.exists(target)) {
            throw new ObjectAlreadyExistsException(name(), key);
          }
        });
  }

  @Override
  public StoredObject replace(String key, StreamWriter writer) {
    Path target = resolve(key);
    if (!Files.isRegularFile(target)) {
      throw new ObjectNotFoundException(name(), key);
    }
    // rename(2) swaps the directory entry: readers that opened the old file keep reading it, new
    // opens see the new one, and nobody sees a partial file
    return writeAndRename(
        key,
        target,
        writer,
        () -> {
          if (!Files.isRegularFile(target)) {
            throw new ObjectNotFoundException(name(), key);
          }
        });
  }

  /**
   * Writes {@code writer}'s content to a hidden temporary file beside {@code target}, forces it to
   * disk, runs {@code beforeRename} (which may refuse by throwing), renames it atomically to {@code
   * target} and forces the directory. On any failure the temporary file is removed.
   */
  private StoredObject writeAndRename(
      String key, Path target, StreamWriter writer, Runnable beforeRename) {
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + TEMP_MARKER + UUID.randomUUID());
    boolean published = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new ChannelOutputStream(Channels.newOutputStream(channel));
        writer.writeTo(out);
        channel.force(true);
      }
      beforeRename.run();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      published = true;
      forceDirectory(dir);
      BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
      return new StoredObject(key, attrs.size(), attrs.lastModifiedTime().toInstant());
    } catch (IOException | UncheckedIOException e) {
      throw ioError("write object '" + key + "'", target, e);
    } finally {
      if (!published) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("unable to remove temporary file '{}': {}", temp, e.toString());
        }
      }
    }
  }

  @Override
  public InputStream open(String key) {
    Path file = resolve(key);
    try {
      if (Files.isDirectory(file)) {
        throw new ObjectNotFoundException(name(), key);
      }
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(name(), key);
    } catch (IOException e) {
      throw ioError("open object '" + key + "'", file, e);
    }
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    Path file = resolve(key);
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new StoredObject(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw ioError("stat object '" + key + "'", file, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    ObjectKeys.requireValidPrefix(prefix);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<StoredObject> result = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.forEach(
          path -> {
            String fileName = path.getFileName().toString();
            if (fileName.contains(TEMP_MARKER)) {
              return;
            }
            String key =
                root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            if (!key.startsWith(prefix)) {
              return;
            }
            try {
              BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
              if (attrs.isRegularFile()) {
                result.add(
                    new StoredObject(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
              }
            } catch (NoSuchFileException e) {
              // deleted while listing
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw ioError("list objects with prefix '" + prefix + "'", root, e);
    }
    result.sort(Comparator.comparing(StoredObject::key));
    return result;
  }

  @Override
  public void delete(String key) {
    Path file = resolve(key);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw ioError("delete object '" + key + "'", file, e);
    }
  }

  private Path resolve(String key) {
    ObjectKeys.requireValid(key);
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("invalid object key '" + key + "': it leaves the root");
    }
    return path;
  }

  private void createDirectories(Path dir, String key) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw ioError("create the directory for object '" + key + "'", dir, e);
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    // makes the rename durable; Linux allows fsync on a directory opened for reading
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private BackupException ioError(String action, Path path, Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    String prefix = "unable to " + action + " in storage '" + name() + "' at '" + path + "': ";
    if (cause instanceof AccessDeniedException) {
      return new PermanentBackupException(
          prefix + "permission denied; check the permissions of " + setting + " '" + root + "'", e);
    }
    if (cause instanceof FileAlreadyExistsException
        || cause instanceof NotDirectoryException
        || (cause instanceof FileSystemException fse
            && fse.getReason() != null
            && fse.getReason().contains("Not a directory"))) {
      return new PermanentBackupException(
          prefix
              + "a path component is not a directory; check that "
              + setting
              + " '"
              + root
              + "' is a writable directory",
          e);
    }
    if (cause instanceof FileSystemException fse
        && fse.getReason() != null
        && fse.getReason().contains("Read-only file system")) {
      return new PermanentBackupException(
          prefix
              + "the file system is read-only; check the mount of "
              + setting
              + " '"
              + root
              + "'",
          e);
    }
    return new TransientBackupException(
        prefix + cause.getMessage() + "; check free space and the permissions of " + setting, e);
  }

  /** Keeps the writer from closing the channel before it is forced. */
  private static final class ChannelOutputStream extends FilterOutputStream {
    ChannelOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
