package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the running PostgreSQL container for docker mode, in the original Kanbu's order: the exact
 * name in {@code POSTGRES_CONTAINER}, else the first running container whose name starts with
 * {@code POSTGRES_CONTAINER_PATTERN} (default {@code postgres-}), else {@code kanbu-postgres}.
 */
public final class PostgresContainerLocator {

  public static final String DEFAULT_PATTERN = "postgres-";
  public static final String FALLBACK_NAME = "kanbu-postgres";

  private final DockerCli docker;

  public PostgresContainerLocator(DockerCli docker) {
    this.docker = docker;
  }

  /**
   * A container that was found and how.
   *
   * @param name its name
   * @param how which rule found it, for the job's mode reason and the status report
   */
  public record Found(String name, String how) {}

  /** Like {@link #locate} but empty instead of a "not found" error; daemon errors still throw. */
  public Optional<Found> find(@Nullable String exactName, String prefix) {
    if (exactName != null && !exactName.isBlank() && docker.isRunning(exactName)) {
      return Optional.of(new Found(exactName, "POSTGRES_CONTAINER names it and it runs"));
    }
    List<String> running = docker.runningContainers();
    for (String name : running) {
      if (!prefix.isEmpty() && name.startsWith(prefix)) {
        return Optional.of(
            new Found(name, "first running container whose name starts with '" + prefix + "'"));
      }
    }
    if (running.contains(FALLBACK_NAME)) {
      return Optional.of(new Found(FALLBACK_NAME, "the default name '" + FALLBACK_NAME + "'"));
    }
    return Optional.empty();
  }

  /**
   * The container to use.
   *
   * @throws PermanentBackupException if none runs, listing the running containers' names
   * @throws io.kanbu.backup.core.TransientBackupException if the docker daemon does not answer
   */
  public Found locate(@Nullable String exactName, String prefix) {
    return find(exactName, prefix)
        .orElseThrow(
            () -> {
              List<String> tried = new ArrayList<>();
              if (exactName != null && !exactName.isBlank()) {
                tried.add("'" + exactName + "' (POSTGRES_CONTAINER)");
              }
              tried.add("names starting with '" + prefix + "' (POSTGRES_CONTAINER_PATTERN)");
              tried.add("'" + FALLBACK_NAME + "'");
              return new PermanentBackupException(
                  "PostgreSQL container not found: looked for "
                      + String.join(", then ", tried)
                      + "; running containers: "
                      + docker.runningContainers()
                      + "; set POSTGRES_CONTAINER to the database container's name");
            });
  }
}
