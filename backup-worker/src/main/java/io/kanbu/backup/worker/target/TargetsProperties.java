package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.model.messaging.BackupCommand;
import java.util.LinkedHashMap;
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
          String url = target.databaseUrl();
          if (url != null && !url.isBlank()) {
            try {
              DatabaseConnection.parse(url);
            } catch (BackupException e) {
              // the parser's message never contains the URL, so no password leaks here
              throw new IllegalArgumentException(
                  TargetRegistry.urlSetting(name)
                      + " for target '"
                      + name
                      + "' is invalid: "
                      + e.getMessage());
            }
          }
        });
  }

  /**
   * One target.
   *
   * @param databaseUrl a {@code postgresql://} or JDBC URL of the database to back up, empty if the
   *     target has no database
   * @param sourcePath a directory whose source is backed up (used by a later issue)
   */
  public record Target(@Nullable String databaseUrl, @Nullable String sourcePath) {}
}
