package io.kanbu.backup.core.source;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Chooses how a database backup reaches PostgreSQL ({@code BACKUP_PG_MODE}): {@code direct}
 * (pg_dump over the network from {@code DATABASE_URL}), {@code docker} ({@code docker exec -i} into
 * the PostgreSQL container) or {@code auto}: direct when the URL is set, a suitable pg_dump exists
 * and the server answers; otherwise docker when a container is found. The decision says why, for
 * the job and the status report.
 */
public final class PgModeResolver {

  /** The configured mode. */
  public enum Mode {
    DIRECT,
    DOCKER,
    AUTO;

    /** Parses {@code direct}, {@code docker} or {@code auto}, case-insensitively. */
    public static Mode parse(String value) {
      try {
        return Mode.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "BACKUP_PG_MODE is '" + value + "'; set it to direct, docker or auto");
      }
    }
  }

  /**
   * Where docker mode looks for the container.
   *
   * @param container {@code POSTGRES_CONTAINER}, or null
   * @param pattern {@code POSTGRES_CONTAINER_PATTERN}
   */
  public record ContainerSettings(@Nullable String container, String pattern) {}

  /**
   * The chosen mode.
   *
   * @param mode {@code direct} or {@code docker}
   * @param reason why, in a sentence for an operator
   * @param container the container, for docker mode
   */
  public record Decision(String mode, String reason, @Nullable String container) {
    public static final String DIRECT = "direct";
    public static final String DOCKER = "docker";
  }

  private final PgToolLocator locator;
  private final PostgresContainerLocator containers;

  public PgModeResolver(PgToolLocator locator, PostgresContainerLocator containers) {
    this.locator = locator;
    this.containers = containers;
  }

  /**
   * Decides for a backup: {@link #decide(Mode, DatabaseConnection, String, String,
   * ContainerSettings, String)} with pg_dump.
   */
  public Decision decide(
      Mode mode,
      @Nullable DatabaseConnection connection,
      String targetName,
      String urlSetting,
      ContainerSettings settings) {
    return decide(mode, connection, targetName, urlSetting, settings, "pg_dump");
  }

  /**
   * Decides.
   *
   * @param connection the target's {@code DATABASE_URL}, or null if it is not set
   * @param clientProgram the program direct mode runs on this machine ({@code pg_dump} for a
   *     backup, {@code psql} for a restore); auto mode needs one that suits the server
   * @throws BackupException if the configured mode cannot work, or auto finds no way, saying what
   *     was tried
   */
  public Decision decide(
      Mode mode,
      @Nullable DatabaseConnection connection,
      String targetName,
      String urlSetting,
      ContainerSettings settings,
      String clientProgram) {
    return switch (mode) {
      case DIRECT -> {
        if (connection == null) {
          throw new PermanentBackupException(
              "BACKUP_PG_MODE is direct but "
                  + urlSetting
                  + " is not set for target '"
                  + targetName
                  + "'; set it, or use BACKUP_PG_MODE=docker");
        }
        yield new Decision(Decision.DIRECT, "BACKUP_PG_MODE is direct", null);
      }
      case DOCKER -> {
        PostgresContainerLocator.Found found =
            containers.locate(settings.container(), settings.pattern());
        yield new Decision(
            Decision.DOCKER,
            "BACKUP_PG_MODE is docker; container '" + found.name() + "': " + found.how(),
            found.name());
      }
      case AUTO -> auto(connection, targetName, urlSetting, settings, clientProgram);
    };
  }

  private Decision auto(
      @Nullable DatabaseConnection connection,
      String targetName,
      String urlSetting,
      ContainerSettings settings,
      String clientProgram) {
    String directWhyNot;
    boolean directTransient = false;
    if (connection == null) {
      directWhyNot = urlSetting + " is not set";
    } else {
      try {
        PgVersion server = PgDumpSource.queryServerVersion(connection, targetName, urlSetting);
        PgTool client = locator.locate(clientProgram, server);
        return new Decision(
            Decision.DIRECT,
            "auto: "
                + urlSetting
                + " is set, the server answers (PostgreSQL "
                + server.display()
                + ") and "
                + client
                + " suits it",
            null);
      } catch (BackupException e) {
        directWhyNot = e.getMessage();
        directTransient = e instanceof TransientBackupException;
      }
    }
    Optional<PostgresContainerLocator.Found> found;
    String dockerWhyNot;
    try {
      found = containers.find(settings.container(), settings.pattern());
      dockerWhyNot = "no PostgreSQL container runs";
    } catch (BackupException e) {
      found = Optional.empty();
      dockerWhyNot = e.getMessage();
    }
    if (found.isPresent()) {
      return new Decision(
          Decision.DOCKER,
          "auto: direct mode is not possible ("
              + directWhyNot
              + "); container '"
              + found.get().name()
              + "': "
              + found.get().how(),
          found.get().name());
    }
    String message =
        "no way to reach the database of target '"
            + targetName
            + "': direct: "
            + directWhyNot
            + "; docker: "
            + dockerWhyNot
            + "; set "
            + urlSetting
            + " or POSTGRES_CONTAINER";
    throw directTransient
        ? new TransientBackupException(message)
        : new PermanentBackupException(message);
  }
}
