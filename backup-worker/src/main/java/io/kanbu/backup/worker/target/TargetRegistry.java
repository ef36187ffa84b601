package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.source.DatabaseConnection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The targets this worker can back up, parsed and checked once at startup: a malformed URL stops
 * the worker with a message naming its environment variable (and never the password).
 */
@Component
public class TargetRegistry {

  private final Map<String, DatabaseTarget> databases = new TreeMap<>();

  public TargetRegistry(TargetsProperties properties) {
    // names and URLs were validated when the properties were bound
    properties
        .targets()
        .forEach(
            (name, target) -> {
              String url = target.databaseUrl();
              if (url != null && !url.isBlank()) {
                databases.put(
                    name,
                    new DatabaseTarget(name, DatabaseConnection.parse(url), urlSetting(name)));
              }
            });
  }

  /** The environment variable that holds a target's database URL. */
  public static String urlSetting(String targetName) {
    return targetName.equals("default")
        ? "DATABASE_URL"
        : "KANBU_TARGETS_"
            + targetName.toUpperCase(Locale.ROOT).replace('-', '_')
            + "_DATABASE_URL";
  }

  public Optional<DatabaseTarget> database(String name) {
    return Optional.ofNullable(databases.get(name));
  }

  public Set<String> databaseTargetNames() {
    return Collections.unmodifiableSet(databases.keySet());
  }
}
