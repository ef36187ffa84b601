package io.kanbu.backup.gateway.status;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the status report needs beside the gateway's own settings (prefix {@code kanbu.status}),
 * bound from the same environment variables as the worker's. No secret is bound here: whether
 * {@code DATABASE_URL} and {@code BACKUP_ENCRYPTION_KEY} are set is asked of the environment, and
 * their values are never kept.
 *
 * @param pgMode {@code BACKUP_PG_MODE}: direct, docker or auto
 * @param dockerBinary {@code BACKUP_DOCKER_BINARY}
 * @param container {@code POSTGRES_CONTAINER}
 * @param containerPattern {@code POSTGRES_CONTAINER_PATTERN}
 * @param pgBinDirs {@code KANBU_BACKUP_PG_BIN_DIRS}; empty means /usr/lib/postgresql/{major}/bin
 *     and PATH
 */
@ConfigurationProperties("kanbu.status")
public record StatusProperties(
    @DefaultValue("auto") String pgMode,
    @DefaultValue("docker") String dockerBinary,
    @Nullable String container,
    @DefaultValue("postgres-") String containerPattern,
    @DefaultValue List<Path> pgBinDirs) {

  public StatusProperties {
    pgMode = pgMode.strip().toLowerCase(java.util.Locale.ROOT);
    if (!List.of("direct", "docker", "auto").contains(pgMode)) {
      throw new IllegalArgumentException(
          "BACKUP_PG_MODE is '" + pgMode + "'; set it to direct, docker or auto");
    }
    if (container != null && container.isBlank()) {
      container = null;
    }
    pgBinDirs = pgBinDirs == null ? List.of() : List.copyOf(pgBinDirs);
  }
}
