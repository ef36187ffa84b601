package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds PostgreSQL client programs ({@code pg_dump}, {@code psql}) whose major version suits a
 * server.
 *
 * <p>A dump must be taken with a {@code pg_dump} at least as new as the server; the locator prefers
 * exactly the server's major and otherwise the smallest newer major. Versions are read from {@code
 * <tool> --version} and cached per path.
 */
public final class PgToolLocator {

  private static final Logger log = LoggerFactory.getLogger(PgToolLocator.class);

  /**
   * Where Debian's packages ({@code postgresql-client-<major>}) put each major's programs: {@code
   * <root>/<major>/bin}. The worker image installs its clients there.
   */
  public static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  private final List<Path> searchDirs;

  /** Keyed by path, size and modification time, so a replaced binary is asked again. */
  private final Map<String, Optional<PgVersion>> versions = new ConcurrentHashMap<>();

  /** A locator that searches exactly these directories, in this order. */
  public PgToolLocator(List<Path> searchDirs) {
    this.searchDirs = List.copyOf(searchDirs);
  }

  /** A locator over {@code /usr/lib/postgresql/<major>/bin} and every directory of {@code PATH}. */
  public static PgToolLocator systemDefault() {
    return new PgToolLocator(defaultSearchDirs(System.getenv("PATH")));
  }

  /** The default search list: {@code /usr/lib/postgresql/*}{@code /bin}, then {@code PATH}. */
  public static List<Path> defaultSearchDirs(String pathVariable) {
    return defaultSearchDirs(DEBIAN_ROOT, pathVariable);
  }

  /**
   * The default search list over another root laid out like {@link #DEBIAN_ROOT}: {@code
   * <root>/*}{@code /bin}, then {@code PATH}.
   */
  public static List<Path> defaultSearchDirs(Path debianRoot, @Nullable String pathVariable) {
    Set<Path> dirs = new LinkedHashSet<>();
    if (Files.isDirectory(debianRoot)) {
      try (DirectoryStream<Path> majors = Files.newDirectoryStream(debianRoot)) {
        List<Path> sorted = new ArrayList<>();
        majors.forEach(p -> sorted.add(p.resolve("bin")));
        sorted.sort(Comparator.naturalOrder());
        dirs.addAll(sorted);
      } catch (IOException e) {
        log.warn("unable to list '{}': {}", debianRoot, e.toString());
      }
    }
    if (pathVariable != null) {
      for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    return List.copyOf(dirs);
  }

  public List<Path> searchDirs() {
    return searchDirs;
  }

  /** Every copy of {@code toolName} found in the search directories, with its version. */
  public List<PgTool> findAll(String toolName) {
    Set<Path> seen = new LinkedHashSet<>();
    List<PgTool> found = new ArrayList<>();
    for (Path dir : searchDirs) {
      Path candidate = dir.resolve(toolName);
      if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
        continue;
      }
      Path real;
      try {
        real = candidate.toRealPath();
      } catch (IOException e) {
        continue;
      }
      if (!seen.add(real)) {
        continue;
      }
      versionOf(candidate).ifPresent(v -> found.add(new PgTool(toolName, candidate, v)));
    }
    return found;
  }

  /**
   * The {@code toolName} to use against a server of the given version: exactly its major if
   * present, else the smallest newer major.
   *
   * @throws PermanentBackupException naming the versions found and the package to install
   */
  public PgTool locate(String toolName, PgVersion serverVersion) {
    List<PgTool> all = findAll(toolName);
    int major = serverVersion.majorVersionNum();
    Optional<PgTool> chosen =
        all.stream()
            .filter(t -> t.version().majorVersionNum() >= major)
            .min(
                Comparator.comparingInt((PgTool t) -> t.version().majorVersionNum())
                    .thenComparing(t -> t.version(), Comparator.reverseOrder()));
    if (chosen.isPresent()) {
      return chosen.get();
    }
    String foundText =
        all.isEmpty()
            ? "none found in " + searchDirs
            : "found only " + all.stream().map(PgTool::toString).collect(Collectors.joining(", "));
    throw new PermanentBackupException(
        "no suitable "
            + toolName
            + " for server version '"
            + serverVersion.display()
            + "': it needs "
            + toolName
            + " "
            + serverVersion.majorDisplay()
            + " or newer, "
            + foundText
            + "; install postgresql-client-"
            + serverVersion.majorDisplay()
            + " or point KANBU_BACKUP_PG_BIN_DIRS (kanbu.backup.pg-bin-dirs) at its bin directory");
  }

  private Optional<PgVersion> versionOf(Path executable) {
    String key;
    try {
      key =
          executable.toRealPath()
              + "|"
              + Files.size(executable)
              + "|"
              + Files.getLastModifiedTime(executable).toMillis();
    } catch (IOException e) {
      return Optional.empty();
    }
    return versions.computeIfAbsent(key, k -> readVersion(executable));
  }

  private static Optional<PgVersion> readVersion(Path executable) {
    try {
      Process process =
          new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output;
      try (InputStream in = process.getInputStream()) {
        output = in.readNBytes(4096);
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        log.warn("'{} --version' did not finish within 10 s; ignoring it", executable);
        return Optional.empty();
      }
      String text = new String(output, StandardCharsets.UTF_8);
      PgVersion version = process.exitValue() == 0 ? PgVersion.parseToolOutput(text) : null;
      if (version == null) {
        log.warn("'{} --version' did not print a PostgreSQL version; ignoring it", executable);
      }
      return Optional.ofNullable(version);
    } catch (IOException e) {
      log.warn("unable to run '{} --version': {}", executable, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
