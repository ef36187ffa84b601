package io.kanbu.backup.model.messaging;

import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A versioned event envelope (schema {@code job-event.v1.schema.json}), published on {@link
 * MessagingTopology#EVENTS_EXCHANGE} with {@link #type()} as routing key.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param id unique per event; subscribers deduplicate on it
 * @param type {@code job.succeeded} or {@code job.failed}; for {@code VERIFY} jobs {@code
 *     verify.succeeded} or {@code verify.failed}; for {@code RESTORE_DATABASE} jobs {@code
 *     restore.succeeded} or {@code restore.failed}
 * @param occurredAt when the job ended
 * @param data what a subscriber needs without a second call
 */
public record JobEvent(int schemaVersion, UUID id, String type, Instant occurredAt, Data data) {

  public static final int SCHEMA_VERSION = 1;
  public static final String JOB_SUCCEEDED = "job.succeeded";
  public static final String JOB_FAILED = "job.failed";
  public static final String VERIFY_SUCCEEDED = "verify.succeeded";
  public static final String VERIFY_FAILED = "verify.failed";
  public static final String RESTORE_SUCCEEDED = "restore.succeeded";
  public static final String RESTORE_FAILED = "restore.failed";

  public JobEvent {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion " + schemaVersion + "; this version reads " + SCHEMA_VERSION);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(data, "data");
  }

  /** The event for a job that reached a final state. */
  public static JobEvent jobEnded(UUID id, Instant occurredAt, Data data) {
    boolean verify = data.jobType() == JobType.VERIFY;
    boolean restore = data.jobType() == JobType.RESTORE_DATABASE;
    String type =
        switch (data.status()) {
          case SUCCEEDED -> verify ? VERIFY_SUCCEEDED : restore ? RESTORE_SUCCEEDED : JOB_SUCCEEDED;
          case FAILED -> verify ? VERIFY_FAILED : restore ? RESTORE_FAILED : JOB_FAILED;
          default ->
              throw new IllegalArgumentException(
                  "job '" + data.jobId() + "' has not ended: status " + data.status());
        };
    return new JobEvent(SCHEMA_VERSION, id, type, occurredAt, data);
  }

  /**
   * The job's outcome.
   *
   * @param sha256 SHA-256 (hex) of the compressed plaintext, as the original Kanbu recorded it
   * @param sha256Stored SHA-256 (hex) of the bytes in storage
   * @param durationMs from the job's start to its end
   */
  public record Data(
      UUID jobId,
      JobType jobType,
      String target,
      JobStatus status,
      TriggerSource trigger,
      int attempts,
      @Nullable UUID backupId,
      @Nullable String fileName,
      @Nullable Long rawBytes,
      @Nullable Long compressedBytes,
      @Nullable Long storedBytes,
      @Nullable String sha256,
      @Nullable String sha256Stored,
      @Nullable Long durationMs,
      @Nullable String error) {

    public Data {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(jobType, "jobType");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(trigger, "trigger");
    }
  }
}
