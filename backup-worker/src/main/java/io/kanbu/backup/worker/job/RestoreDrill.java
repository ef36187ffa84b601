package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.restore.DatabaseRestore;
import io.kanbu.backup.core.restore.JdbcTargetDatabase;
import io.kanbu.backup.core.restore.PreflightReport;
import io.kanbu.backup.core.restore.RestoreOutcome;
import io.kanbu.backup.core.restore.StoredBackup;
import io.kanbu.backup.core.restore.TargetDatabase;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.DatabaseTarget;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A restore drill: restores a verified backup into a scratch database {@code kanbu_drill_<short job
 * id>} on the target's drill server (its own server unless {@code BACKUP_DRILL_DATABASE_URL} or
 * {@code KANBU_TARGETS_<NAME>_DRILL_DATABASE_URL} names another), where the restore compares every
 * table's row count with the manifest inside its transaction, measures how long the restore took
 * (the recovery time it shows) and drops the scratch database whatever happened. Proves a backup
 * restores, not just that its bytes are intact.
 */
@Component
public class RestoreDrill {

  private static final Logger log = LoggerFactory.getLogger(RestoreDrill.class);

  private final DatabaseRestore restore;
  private final CopyReader copyReader;
  private final TargetRegistry targets;
  private final Clock clock;
  private final WorkerProperties props;
  private final TargetAccess access;

  public RestoreDrill(
      DatabaseRestore restore,
      CopyReader copyReader,
      TargetRegistry targets,
      Clock clock,
      WorkerProperties props,
      TargetAccess access) {
    this.restore = restore;
    this.copyReader = copyReader;
    this.targets = targets;
    this.clock = clock;
    this.props = props;
    this.access = access;
  }

  /**
   * How a drill went.
   *
   * @param passed the restore committed (so every compared row count matched)
   * @param seconds how long the restore took; null if it did not get that far
   * @param error why it failed (the tables whose counts differ, psql's error); null if it passed
   * @param notes things to know about a drill that passed (nothing to compare)
   */
  public record Result(
      boolean passed, @Nullable Double seconds, @Nullable String error, List<String> notes) {

    public Result {
      notes = List.copyOf(notes);
    }
  }

  /** The scratch database of a drill job. */
  static String scratchDatabase(ClaimedJob job) {
    return "kanbu_drill_" + job.id().toString().substring(0, 8);
  }

  /**
   * Runs the drill of a database backup on the job's target, in the job's {@link JobStage#DRILL}
   * stage; never throws a backup error.
   */
  public Result run(ClaimedJob job, BackupRecord backup, JobProgress progress) {
    progress.enter(JobStage.DRILL);
    String scratch = scratchDatabase(job);
    TargetDatabase server;
    try {
      DatabaseTarget target = targets.requireDatabase(job.target(), props.workerId());
      if (target.drillServer() != null) {
        server =
            new JdbcTargetDatabase(
                target.drillServer(), target.name(), TargetRegistry.drillUrlSetting(target.name()));
        return drill(job, backup, target, server, scratch, ownSettings(target), progress);
      }
      TargetAccess.Route route = access.route(target, "psql");
      server = route.restoreTarget(target);
      return drill(
          job, backup, target, server, scratch, settingsOf(server, route, target), progress);
    } catch (BackupException e) {
      return failed(e.getMessage());
    }
  }

  private Result drill(
      ClaimedJob job,
      BackupRecord backup,
      DatabaseTarget target,
      TargetDatabase server,
      String scratch,
      TargetDatabase.@Nullable Settings like,
      JobProgress progress) {
    try {
      // a worker that died during a drill leaves its scratch database behind
      server.dropIfExists(scratch);
      StorageBackend storage = copyReader.likelyIntact(backup);
      StoredBackup stored = StoredBackups.of(backup, storage);
      log.info("job {}: restore drill of backup {} into '{}'", job.id(), backup.getId(), scratch);
      PreflightReport plan = restore.preflight(server, target.name(), scratch, stored, false);
      Instant started = clock.instant();
      RestoreOutcome outcome =
          restore.apply(plan, server, progress.counting(storage), stored, like);
      double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
      List<String> notes = new ArrayList<>(outcome.warnings());
      notes.add(
          "restore drill passed in "
              + seconds
              + " s ("
              + outcome.tablesChecked()
              + " tables' row counts compared)");
      return new Result(true, seconds, null, notes);
    } catch (BackupException e) {
      return failed(e.getMessage());
    } finally {
      try {
        server.dropIfExists(scratch);
      } catch (BackupException e) {
        log.warn(
            "job {}: unable to drop drill database '{}': {}", job.id(), scratch, e.getMessage());
      }
    }
  }

  /**
   * The encoding and locale of the target's database, for a scratch database on a drill server;
   * unknown (the drill server's defaults) when the target cannot be reached or asked.
   */
  private TargetDatabase.@Nullable Settings ownSettings(DatabaseTarget target) {
    try {
      TargetAccess.Route route = access.route(target, "psql");
      return settingsOf(route.restoreTarget(target), route, target);
    } catch (BackupException e) {
      log.warn(
          "target '{}': unable to reach it for its encoding and locale: {}",
          target.name(),
          e.getMessage());
      return null;
    }
  }

  private static TargetDatabase.@Nullable Settings settingsOf(
      TargetDatabase server, TargetAccess.Route route, DatabaseTarget target) {
    try {
      return server.settingsOf(route.login().database());
    } catch (BackupException e) {
      log.warn(
          "target '{}': unable to read its database's encoding and locale for a drill: {}",
          target.name(),
          e.getMessage());
      return null;
    }
  }

  private static Result failed(@Nullable String error) {
    return new Result(false, null, "restore drill failed: " + error, List.of());
  }
}
