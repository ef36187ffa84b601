package io.kanbu.backup.model.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The command that asks a worker to run one job (schema {@code backup-command.v1.schema.json}). The
 * job id is the AMQP {@code message_id} and the idempotency key: the same id twice runs once.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param jobId the job's id; a command from another service chooses a fresh UUID
 * @param type what to run
 * @param target the name of a configured target, never a connection string or a path
 * @param trigger who asked
 * @param requestedBy free text naming the caller (never a secret)
 * @param requestedAt when it was asked
 * @param backupId the backup a {@code VERIFY}, {@code RESTORE_DATABASE}, {@code RESTORE_SOURCE} or
 *     {@code DELETE_BACKUP} (or single-backup {@code REKEY}) job works on; optional in the schema,
 *     null for other types
 * @param database {@code RESTORE_DATABASE} only: the database to overwrite or create; null = the
 *     target's own database
 * @param drill {@code VERIFY} only: also restore the backup into a scratch database and compare its
 *     row counts with the manifest (a restore drill); null = false
 * @param terminateConnections {@code RESTORE_DATABASE} only: whether other sessions on that
 *     database may be ended; null = false
 * @param safetyBackupWaiver {@code RESTORE_DATABASE} only: why no safety backup is wanted (the
 *     reason is recorded); null = take one when the database holds data
 * @param directory {@code RESTORE_SOURCE} only (and required there): the absolute directory to
 *     extract into, empty or not yet existing on the worker
 * @param overwriteLiveTree {@code RESTORE_SOURCE} only: the target's name typed again to allow a
 *     directory that is, lies inside or contains the target's live source tree; null = refuse those
 */
public record BackupCommand(
    int schemaVersion,
    UUID jobId,
    JobType type,
    String target,
    TriggerSource trigger,
    @Nullable String requestedBy,
    Instant requestedAt,
    // omitted when null, so commands of other types stay readable by workers older than the field
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable UUID backupId,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String database,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean drill,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean terminateConnections,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String safetyBackupWaiver,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String directory,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String overwriteLiveTree) {

  public static final int SCHEMA_VERSION = 1;

  /** Longest restore directory the schema accepts. */
  public static final int MAX_DIRECTORY_LENGTH = 4096;

  /** Target names: lowercase letters, digits, {@code -} and {@code _}, at most 63 characters. */
  public static final Pattern TARGET_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public BackupCommand {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion " + schemaVersion + "; this version reads " + SCHEMA_VERSION);
    }
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(requestedAt, "requestedAt");
    if (target == null || !TARGET_NAME.matcher(target).matches()) {
      throw new IllegalArgumentException(
          "target '" + target + "' is not a valid target name (" + TARGET_NAME.pattern() + ")");
    }
    if ((type == JobType.VERIFY
            || type == JobType.RESTORE_DATABASE
            || type == JobType.RESTORE_SOURCE
            || type == JobType.DELETE_BACKUP)
        && backupId == null) {
      throw new IllegalArgumentException("a " + type + " command needs backupId");
    }
    if (type != JobType.RESTORE_DATABASE
        && (database != null || terminateConnections != null || safetyBackupWaiver != null)) {
      throw new IllegalArgumentException(
          "database, terminateConnections and safetyBackupWaiver belong to RESTORE_DATABASE"
              + " commands only");
    }
    if (drill != null && type != JobType.VERIFY) {
      throw new IllegalArgumentException("drill belongs to VERIFY commands only");
    }
    if (safetyBackupWaiver != null && safetyBackupWaiver.isBlank()) {
      throw new IllegalArgumentException("safetyBackupWaiver needs a reason");
    }
    if (type == JobType.RESTORE_SOURCE && directory == null) {
      throw new IllegalArgumentException("a RESTORE_SOURCE command needs directory");
    }
    if (type != JobType.RESTORE_SOURCE && (directory != null || overwriteLiveTree != null)) {
      throw new IllegalArgumentException(
          "directory and overwriteLiveTree belong to RESTORE_SOURCE commands only");
    }
  }

  /** A command of the fields every version had: no restore directory. */
  public BackupCommand(
      int schemaVersion,
      UUID jobId,
      JobType type,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt,
      @Nullable UUID backupId) {
    this(
        schemaVersion,
        jobId,
        type,
        target,
        trigger,
        requestedBy,
        requestedAt,
        backupId,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A {@code RESTORE_SOURCE} command. */
  public static BackupCommand sourceRestore(
      UUID jobId,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt,
      UUID backupId,
      String directory,
      @Nullable String overwriteLiveTree) {
    return new BackupCommand(
        SCHEMA_VERSION,
        jobId,
        JobType.RESTORE_SOURCE,
        target,
        trigger,
        requestedBy,
        requestedAt,
        backupId,
        null,
        null,
        null,
        null,
        directory,
        overwriteLiveTree);
  }

  public static BackupCommand of(
      UUID jobId,
      JobType type,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt) {
    return of(jobId, type, target, trigger, requestedBy, requestedAt, null);
  }

  /** A command about one backup ({@code VERIFY}). */
  public static BackupCommand of(
      UUID jobId,
      JobType type,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt,
      @Nullable UUID backupId) {
    return new BackupCommand(
        SCHEMA_VERSION,
        jobId,
        type,
        target,
        trigger,
        requestedBy,
        requestedAt,
        backupId,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A {@code VERIFY} command, a restore drill when {@code drill}. */
  public static BackupCommand verify(
      UUID jobId,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt,
      UUID backupId,
      boolean drill) {
    return new BackupCommand(
        SCHEMA_VERSION,
        jobId,
        JobType.VERIFY,
        target,
        trigger,
        requestedBy,
        requestedAt,
        backupId,
        null,
        drill ? Boolean.TRUE : null,
        null,
        null,
        null,
        null);
  }

  /** Whether a {@code VERIFY} is a restore drill. */
  public boolean drillRequested() {
    return Boolean.TRUE.equals(drill);
  }

  /** A {@code RESTORE_DATABASE} command. */
  public static BackupCommand restore(
      UUID jobId,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt,
      UUID backupId,
      @Nullable String database,
      boolean terminateConnections,
      @Nullable String safetyBackupWaiver) {
    return new BackupCommand(
        SCHEMA_VERSION,
        jobId,
        JobType.RESTORE_DATABASE,
        target,
        trigger,
        requestedBy,
        requestedAt,
        backupId,
        database,
        null,
        terminateConnections ? Boolean.TRUE : null,
        safetyBackupWaiver,
        null,
        null);
  }

  /** Whether a restore may end other sessions on its database. */
  public boolean terminatesConnections() {
    return Boolean.TRUE.equals(terminateConnections);
  }
}
