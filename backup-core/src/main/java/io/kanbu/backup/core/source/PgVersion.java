package io.kanbu.backup.core.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL version as {@code server_version_num} encodes it: 150020 is 15.20, 90624 is 9.6.24.
 *
 * @param versionNum the numeric version
 */
public record PgVersion(int versionNum) implements Comparable<PgVersion> {

  private static final Pattern TOOL_VERSION =
      Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

  public PgVersion {
    if (versionNum < 70000) {
      throw new IllegalArgumentException("version number " + versionNum + " is not plausible");
    }
  }

  /**
   * The major version used to choose client tools: 15 for 15.x; 906 for 9.6 (before PostgreSQL 10
   * the first two components formed the major).
   */
  public int major() {
    return versionNum >= 100000 ? versionNum / 10000 : versionNum / 100;
  }

  /**
   * The version number with the minor part cleared (150000, 90600): comparable across the old and
   * the new numbering, unlike {@link #major()}.
   */
  public int majorVersionNum() {
    return versionNum >= 100000 ? versionNum / 10000 * 10000 : versionNum / 100 * 100;
  }

  /** The version as PostgreSQL prints it: {@code 15.20}, {@code 9.6.24}. */
  public String display() {
    if (versionNum >= 100000) {
      return (versionNum / 10000) + "." + (versionNum % 10000);
    }
    return (versionNum / 10000) + "." + (versionNum / 100 % 100) + "." + (versionNum % 100);
  }

  /** The major as operators write it in package names: {@code 15}, {@code 9.6}. */
  public String majorDisplay() {
    return versionNum >= 100000
        ? Integer.toString(versionNum / 10000)
        : (versionNum / 10000) + "." + (versionNum / 100 % 100);
  }

  /**
   * Parses the output of {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.20 (Debian
   * 15.20-0+deb12u1)}; returns {@code null} if it does not look like one.
   */
  public static @Nullable PgVersion parseToolOutput(String output) {
    Matcher m = TOOL_VERSION.matcher(output);
    if (!m.find()) {
      return null;
    }
    int first = Integer.parseInt(m.group(1));
    int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    int third = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    if (first >= 10) {
      return new PgVersion(first * 10000 + second);
    }
    if (first < 7) {
      return null;
    }
    return new PgVersion(first * 10000 + second * 100 + third);
  }

  @Override
  public int compareTo(PgVersion other) {
    return Integer.compare(versionNum, other.versionNum);
  }

  @Override
  public String toString() {
    return display();
  }
}
