package io.kanbu.backup.model.messaging;

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
 */
public record BackupCommand(
    int schemaVersion,
    UUID jobId,
    JobType type,
    String target,
    TriggerSource trigger,
    @Nullable String requestedBy,
    Instant requestedAt) {

  public static final int SCHEMA_VERSION = 1;

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
  }

  public static BackupCommand of(
      UUID jobId,
      JobType type,
      String target,
      TriggerSource trigger,
      @Nullable String requestedBy,
      Instant requestedAt) {
    return new BackupCommand(
        SCHEMA_VERSION, jobId, type, target, trigger, requestedBy, requestedAt);
  }
}
