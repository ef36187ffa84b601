package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.model.messaging.BackupCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The configured targets ({@code kanbu.targets.<name>.*}). {@code default} comes from {@code
 * DATABASE_URL} and {@code KANBU_SOURCE_PATH}; others from {@code
 * KANBU_TARGETS_<NAME>_DATABASE_URL} and so on.
 *
 * @param targets by name
 */
@ConfigurationProperties("kanbu")
public record TargetsProperties(@Nullable Map<String, Target> targets) {

  /** Validated while binding, so a bad value stops startup with a plain message. */
  public TargetsProperties {
    targets = targets == null ? Map.of() : new LinkedHashMap<>(targets);
    targets.forEach(
        (name, target) -> {
          if (!BackupCommand.TARGET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                "target name '"
                    + name
                    + "' in kanbu.targets is invalid; use lowercase letters, digits, '-' and '_'");
          }
          String path = target.sourcePath();
          if (path != null && !path.isBlank() && !java.nio.file.Path.of(path).isAbsolute()) {
            throw new IllegalArgumentException(
                TargetRegistry.pathSetting(name)
                    + " for target '"
                    + name
                    + "' is '"
                    + path
                    + "'; set it to an absolute path");
          }
          requireValidUrl(target.databaseUrl(), TargetRegistry.urlSetting(name), name);
          requireValidUrl(target.drillDatabaseUrl(), TargetRegistry.drillUrlSetting(name), name);
        });
  }

  private static void requireValidUrl(@Nullable String url, String setting, String name) {
    if (url != null && !url.isBlank()) {
      try {
        DatabaseConnection.parse(url);
      } catch (BackupException e) {
        // the parser's message never contains the URL, so no password leaks here
        throw new IllegalArgumentException(
            setting + " for target '" + name + "' is invalid: " + e.getMessage());
      }
    }
  }

  /**
   * One target.
   *
   * @param databaseUrl a {@code postgresql://} or JDBC URL of the database to back up, empty if the
   *     target has no database
   * @param sourcePath a directory whose source is backed up ({@code KANBU_SOURCE_PATH}, default
   *     {@code /app} for {@code default}); empty if the target has no source tree
   * @param sourceExclude extra exclusion globs in gitignore syntax ({@code KANBU_SOURCE_EXCLUDE},
   *     comma-separated), applied after the defaults and the tree's {@code .backupignore}
   * @param sourceInclude globs re-included after every exclusion ({@code KANBU_SOURCE_INCLUDE})
   * @param drillDatabaseUrl a URL of the server where restore drills of this target restore (its
   *     database is only where the drill connects to create the scratch database); empty for the
   *     target's own server ({@code BACKUP_DRILL_DATABASE_URL} for {@code default})
   * @param compression this target's backups' format ({@code KANBU_TARGETS_<NAME>_COMPRESSION});
   *     unset for the worker's {@code BACKUP_COMPRESSION}
   * @param compressionLevel its level ({@code …_COMPRESSION_LEVEL}); unset for the worker's when
   *     the format is the worker's, else the format's default
   * @param compressionThreads its threads ({@code …_COMPRESSION_THREADS}, 0 for one per core);
   *     unset for the worker's
   */
  public record Target(
      @Nullable String databaseUrl,
      @Nullable String sourcePath,
      @Nullable List<String> sourceExclude,
      @Nullable List<String> sourceInclude,
      @Nullable String drillDatabaseUrl,
      @Nullable String compression,
      @Nullable Integer compressionLevel,
      @Nullable Integer compressionThreads) {

    public Target {
      sourceExclude = sourceExclude == null ? List.of() : List.copyOf(sourceExclude);
      sourceInclude = sourceInclude == null ? List.of() : List.copyOf(sourceInclude);
    }
  }
}
