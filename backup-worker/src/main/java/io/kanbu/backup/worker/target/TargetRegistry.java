package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.worker.config.CompressionSettings;
import io.kanbu.backup.worker.config.PostgresModeProperties;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The targets this worker can back up, parsed and checked once at startup: a malformed URL stops
 * the worker with a message naming its environment variable (and never the password).
 */
@Component
public class TargetRegistry {

  private final Map<String, DatabaseTarget> databases = new TreeMap<>();
  private final Map<String, SourceTarget> sources = new TreeMap<>();

  /** Targets for direct mode only: a database target needs its URL. */
  public TargetRegistry(TargetsProperties properties) {
    this(properties, PostgresModeProperties.directOnly());
  }

  /**
   * Targets; unless {@code BACKUP_PG_MODE} is {@code direct}, the {@code default} target has a
   * database even without {@code DATABASE_URL}, reached through its container.
   */
  @Autowired
  public TargetRegistry(TargetsProperties properties, PostgresModeProperties postgres) {
    // names and URLs were validated when the properties were bound
    properties
        .targets()
        .forEach(
            (name, target) -> {
              String url = target.databaseUrl();
              String drillUrl = target.drillDatabaseUrl();
              DatabaseConnection drillServer =
                  drillUrl == null || drillUrl.isBlank()
                      ? null
                      : DatabaseConnection.parse(drillUrl);
              if (url != null && !url.isBlank()) {
                databases.put(
                    name,
                    new DatabaseTarget(
                        name, DatabaseConnection.parse(url), urlSetting(name), drillServer));
              } else if (name.equals("default")
                  && postgres.parsedMode() != PgModeResolver.Mode.DIRECT) {
                databases.put(name, new DatabaseTarget(name, null, urlSetting(name), drillServer));
              }
              String path = target.sourcePath();
              if (path != null && !path.isBlank()) {
                sources.put(
                    name,
                    new SourceTarget(
                        name,
                        Path.of(path),
                        target.sourceExclude(),
                        target.sourceInclude(),
                        pathSetting(name)));
              }
            });
  }

  /** The environment variable that holds a target's database URL. */
  public static String urlSetting(String targetName) {
    return setting(targetName, "DATABASE_URL", "DATABASE_URL");
  }

  /** The environment variable that holds the server a target's restore drills use. */
  public static String drillUrlSetting(String targetName) {
    return setting(targetName, "BACKUP_DRILL_DATABASE_URL", "DRILL_DATABASE_URL");
  }

  /** The environment variable that holds a target's source-tree path. */
  public static String pathSetting(String targetName) {
    return setting(targetName, "KANBU_SOURCE_PATH", "SOURCE_PATH");
  }

  /** The variables of a target's own compression: {@code KANBU_TARGETS_<NAME>_COMPRESSION…}. */
  public static CompressionSettings.Names compressionSettings(String targetName) {
    String prefix = "KANBU_TARGETS_" + targetName.toUpperCase(Locale.ROOT).replace('-', '_');
    return new CompressionSettings.Names(
        prefix + "_COMPRESSION", prefix + "_COMPRESSION_LEVEL", prefix + "_COMPRESSION_THREADS");
  }

  /**
   * The variable of {@code default} (the original Kanbu's name), or {@code
   * KANBU_TARGETS_<NAME>_<suffix>} as Spring maps it onto {@code kanbu.targets.<name>.*}.
   */
  private static String setting(String targetName, String forDefault, String suffix) {
    return targetName.equals("default")
        ? forDefault
        : "KANBU_TARGETS_" + targetName.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + suffix;
  }

  public Optional<SourceTarget> source(String name) {
    return Optional.ofNullable(sources.get(name));
  }

  public Set<String> sourceTargetNames() {
    return Collections.unmodifiableSet(sources.keySet());
  }

  public Optional<DatabaseTarget> database(String name) {
    return Optional.ofNullable(databases.get(name));
  }

  /**
   * The database target a running job needs.
   *
   * @throws PermanentBackupException naming the setting to add, if this worker does not have it
   */
  public DatabaseTarget requireDatabase(String name, String workerId) {
    return database(name)
        .orElseThrow(
            () ->
                new PermanentBackupException(
                    "target '"
                        + name
                        + "' has no database on worker '"
                        + workerId
                        + "'; set "
                        + urlSetting(name)));
  }

  public Set<String> databaseTargetNames() {
    return Collections.unmodifiableSet(databases.keySet());
  }
}
