package io.kanbu.backup.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Kanbu Backup, as written into manifests. */
public final class ToolVersion {

  private ToolVersion() {}

  /**
   * The backup-core artifact's version from the jar's Maven metadata, or {@code development} when
   * running from a build directory.
   */
  public static String current() {
    try (InputStream in =
        ToolVersion.class.getResourceAsStream(
            "/META-INF/maven/io.kanbu.backup/backup-core/pom.properties")) {
      if (in != null) {
        Properties props = new Properties();
        props.load(in);
        String version = props.getProperty("version");
        if (version != null && !version.isBlank()) {
          return "kanbu-backup " + version;
        }
      }
    } catch (IOException e) {
      // fall through: the version is informative only
    }
    return "kanbu-backup development";
  }
}
