package io.kanbu.backup.worker.config;

import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PostgresContainerLocator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How database backups reach PostgreSQL (prefix {@code kanbu.postgres}); application.yml maps each
 * to its environment variable.
 *
 * @param mode {@code direct}, {@code docker} or {@code auto} ({@code BACKUP_PG_MODE})
 * @param dockerBinary the docker client ({@code BACKUP_DOCKER_BINARY})
 * @param container the exact name of the PostgreSQL container ({@code POSTGRES_CONTAINER})
 * @param containerPattern prefix of the container's name when none is named ({@code
 *     POSTGRES_CONTAINER_PATTERN})
 * @param user the role docker mode dumps as when {@code DATABASE_URL} is not set ({@code
 *     POSTGRES_USER})
 * @param database the database docker mode dumps when {@code DATABASE_URL} is not set ({@code
 *     POSTGRES_DB})
 * @param password that role's password, if the container asks for one ({@code POSTGRES_PASSWORD});
 *     handed to pg_dump only through the docker client's environment
 */
@ConfigurationProperties("kanbu.postgres")
public record PostgresModeProperties(
    @DefaultValue("auto") String mode,
    @DefaultValue("docker") String dockerBinary,
    @Nullable String container,
    @DefaultValue(PostgresContainerLocator.DEFAULT_PATTERN) String containerPattern,
    @DefaultValue("kanbu") String user,
    @DefaultValue("kanbu") String database,
    @Nullable String password) {

  public PostgresModeProperties {
    PgModeResolver.Mode.parse(mode); // fails startup with a message naming BACKUP_PG_MODE
    if (container != null && container.isBlank()) {
      container = null;
    }
    if (container != null && !DockerCli.CONTAINER_NAME.matcher(container).matches()) {
      throw new IllegalArgumentException(
          "POSTGRES_CONTAINER is '" + container + "', which is not a docker container name");
    }
    if (password != null && password.isEmpty()) {
      password = null;
    }
  }

  /** Direct mode only: what a worker without these settings does. */
  public static PostgresModeProperties directOnly() {
    return new PostgresModeProperties(
        "direct", "docker", null, PostgresContainerLocator.DEFAULT_PATTERN, "kanbu", "kanbu", null);
  }

  public PgModeResolver.Mode parsedMode() {
    return PgModeResolver.Mode.parse(mode);
  }

  @Override
  public String toString() {
    return "PostgresModeProperties[mode="
        + mode
        + ", dockerBinary="
        + dockerBinary
        + ", container="
        + container
        + ", containerPattern="
        + containerPattern
        + ", user="
        + user
        + ", database="
        + database
        + ", password="
        + (password == null ? "<none>" : "<hidden>")
        + "]";
  }
}
