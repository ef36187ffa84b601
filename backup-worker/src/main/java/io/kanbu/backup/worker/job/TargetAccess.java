package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.restore.DockerTargetDatabase;
import io.kanbu.backup.core.restore.JdbcTargetDatabase;
import io.kanbu.backup.core.restore.TargetDatabase;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PostgresContainer;
import io.kanbu.backup.worker.config.PostgresModeProperties;
import io.kanbu.backup.worker.target.DatabaseTarget;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How a job reaches a target's PostgreSQL ({@code BACKUP_PG_MODE}): directly with the target's URL,
 * or through the server's container. Backups, restores and drills decide the same way; in docker
 * mode the user, database and password are the URL's when it is set, else {@code POSTGRES_USER},
 * {@code POSTGRES_DB} and {@code POSTGRES_PASSWORD}.
 */
@Component
public class TargetAccess {

  private final PgModeResolver modes;
  private final PostgresModeProperties postgres;
  private final DockerCli docker;

  public TargetAccess(PgModeResolver modes, PostgresModeProperties postgres, DockerCli docker) {
    this.modes = modes;
    this.postgres = postgres;
    this.docker = docker;
  }

  /**
   * The way in that was decided.
   *
   * @param decision the mode and why, for the job
   * @param direct the URL's connection, in direct mode
   * @param container the server's container, in docker mode
   */
  public record Route(
      PgModeResolver.Decision decision,
      @Nullable DatabaseConnection direct,
      @Nullable PostgresContainer container) {

    /** The user and database the job connects as, whichever the mode. */
    public DatabaseConnection login() {
      return direct != null ? direct : Objects.requireNonNull(container).login();
    }

    /** What a restore or drill asks of the server, the same way. */
    public TargetDatabase restoreTarget(DatabaseTarget target) {
      return container != null
          ? new DockerTargetDatabase(container, target.name())
          : new JdbcTargetDatabase(
              Objects.requireNonNull(direct), target.name(), target.urlSetting());
    }
  }

  /**
   * Decides how to reach the target.
   *
   * @param clientProgram what direct mode would run here: {@code pg_dump} or {@code psql}
   * @throws io.kanbu.backup.core.BackupException if no way works, saying what was tried
   */
  public Route route(DatabaseTarget target, String clientProgram) {
    DatabaseConnection url = target.connection();
    PgModeResolver.Decision decision =
        modes.decide(
            postgres.parsedMode(),
            url,
            target.name(),
            target.urlSetting(),
            new PgModeResolver.ContainerSettings(postgres.container(), postgres.containerPattern()),
            clientProgram);
    String container = decision.container();
    if (container == null) {
      return new Route(decision, Objects.requireNonNull(url, "direct mode without a URL"), null);
    }
    DatabaseConnection login =
        url != null
            ? url
            : new DatabaseConnection(
                DatabaseConnection.DEFAULT_HOST,
                DatabaseConnection.DEFAULT_PORT,
                postgres.database(),
                postgres.user(),
                postgres.password(),
                Map.of());
    String setting = url != null ? target.urlSetting() : "POSTGRES_USER and POSTGRES_DB";
    return new Route(decision, null, new PostgresContainer(docker, container, login, setting));
  }
}
