package io.kanbu.backup.core.source;

import java.nio.file.Path;

/**
 * A PostgreSQL client program found on this machine.
 *
 * @param name program name, e.g. {@code pg_dump}
 * @param path absolute path of the executable
 * @param version its version, from {@code --version}
 */
public record PgTool(String name, Path path, PgVersion version) {

  @Override
  public String toString() {
    return name + " " + version.display() + " (" + path + ")";
  }
}
