package io.kanbu.backup.gateway.mcp;

import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.gateway.backups.BackupController;
import io.kanbu.backup.gateway.backups.BackupView;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobController;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.status.StatusController;
import io.kanbu.backup.gateway.status.StatusReport;
import io.kanbu.backup.gateway.trigger.JobCompletionWaiter;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequest;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.gateway.verification.VerificationController;
import io.kanbu.backup.model.catalog.BackupJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP tools. Each one does what an HTTP request does, through the same parser, submitter and
 * controllers, so the rules (configured targets only, available backups only, the bounded wait) and
 * the error messages are those of the API. A refused call ends as a tool error whose text is the
 * API's problem detail. Restore and delete are not offered.
 */
@Component
public class BackupTools {

  /** The {@code requestedBy} recorded on jobs started through MCP. */
  static final String REQUESTED_BY = "mcp";

  private static final String TARGET = "A configured target name; default 'default'";
  private static final String WAIT =
      "Seconds to wait for the job to end (0 to KANBU_MCP_MAX_WAIT); none = do not wait";

  private final TriggerRequestParser parser;
  private final Duration maxWait;
  private final JobSubmitter submitter;
  private final JobCompletionWaiter waiter;
  private final JobController jobs;
  private final BackupController backups;
  private final VerificationController verification;
  private final StatusController status;
  private final JsonMapper json;

  public BackupTools(
      GatewayProperties gateway,
      McpProperties mcp,
      JobSubmitter submitter,
      JobCompletionWaiter waiter,
      JobController jobs,
      BackupController backups,
      VerificationController verification,
      StatusController status,
      JsonMapper json) {
    this.parser = new TriggerRequestParser(gateway.targetNames(), mcp.maxWait());
    this.maxWait = mcp.maxWait();
    this.submitter = submitter;
    this.waiter = waiter;
    this.jobs = jobs;
    this.backups = backups;
    this.verification = verification;
    this.status = status;
    this.json = json;
  }

  /**
   * What a tool that starts a job answers.
   *
   * @param message one line saying where the job stands and what to do next
   * @param job the job as the catalog has it (after the wait, if one was asked for)
   */
  public record JobAnswer(String message, JobView job) {}

  @McpTool(
      name = "kanbu_create_db_backup",
      description =
          "Back up a PostgreSQL database (pg_dump, gzip, SHA-256, optional encryption) as a job on"
              + " the backup workers. Returns the job; with waitSeconds, waits up to that long for"
              + " it to end and returns its outcome (SUCCEEDED with backupId, or FAILED with"
              + " error).")
  public JobAnswer createDatabaseBackup(
      @McpToolParam(description = TARGET, required = false) @Nullable String target,
      @McpToolParam(description = WAIT, required = false) @Nullable Integer waitSeconds) {
    return startBackup("database", target, waitSeconds);
  }

  @McpTool(
      name = "kanbu_create_source_backup",
      description =
          "Back up the source-code tree of a target (tar.gz, SHA-256, optional encryption) as a"
              + " job on the backup workers. Returns the job; with waitSeconds, waits up to that"
              + " long for it to end and returns its outcome.")
  public JobAnswer createSourceBackup(
      @McpToolParam(description = TARGET, required = false) @Nullable String target,
      @McpToolParam(description = WAIT, required = false) @Nullable Integer waitSeconds) {
    return startBackup("source", target, waitSeconds);
  }

  @McpTool(
      name = "kanbu_list_backups",
      description =
          "List backups, newest first: id, target, kind (database or source), status, file name,"
              + " sizes, SHA-256 digests, when it was made and last verified.")
  public PageView<BackupView> listBackups(
      @McpToolParam(description = "Only backups of this target", required = false)
          @Nullable String target,
      @McpToolParam(description = "How many, 1 to 200; default 20", required = false)
          @Nullable Integer limit) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > PageParameters.MAX_SIZE) {
      throw new IllegalArgumentException(
          "'limit' must be between 1 and " + PageParameters.MAX_SIZE + ", was " + size);
    }
    return backups.backups(target, 0, size);
  }

  @McpTool(
      name = "kanbu_job_status",
      description =
          "One job: type, status (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED), error, backupId,"
              + " duration and warnings.")
  public JobView jobStatus(
      @McpToolParam(description = "The job id (a UUID) a create or verify tool returned")
          @Nullable String jobId) {
    return jobs.job(uuid("jobId", jobId, "take it from a create or verify tool's answer"));
  }

  @McpTool(
      name = "kanbu_verify_backup",
      description =
          "Verify a stored backup as a job: sizes and both SHA-256 digests, decryption,"
              + " decompression and the manifest. With drill=true a database backup is also"
              + " restored into a scratch database and its row counts compared. Returns the job;"
              + " with waitSeconds, its outcome.")
  public JobAnswer verifyBackup(
      @McpToolParam(description = "The backup id (a UUID), from kanbu_list_backups")
          @Nullable String backupId,
      @McpToolParam(description = "Also run a restore drill; default false", required = false)
          @Nullable Boolean drill,
      @McpToolParam(description = WAIT, required = false) @Nullable Integer waitSeconds) {
    Duration wait = wait(waitSeconds);
    UUID id = uuid("backupId", backupId, "list backups with kanbu_list_backups");
    JobView queued =
        Objects.requireNonNull(
            verification.verify(id, Boolean.TRUE.equals(drill), REQUESTED_BY).getBody());
    return answer(queued.id(), wait);
  }

  @McpTool(
      name = "kanbu_backup_status",
      description =
          "The backup system's status: storage (type, location, writable), PostgreSQL per target"
              + " (mode, pg_dump, docker), scheduler mode, encryption, backup counts. Never shows"
              + " a URL, password or key.")
  public StatusReport backupStatus() {
    return status.status();
  }

  private JobAnswer startBackup(String type, @Nullable String target, @Nullable Integer seconds) {
    Duration wait = wait(seconds);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    if (target != null) {
      body.put("target", target);
    }
    TriggerRequest request =
        parser.parseBody(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    BackupJob job = submitter.submit(request, null, REQUESTED_BY).job();
    return answer(job.getId(), wait);
  }

  private @Nullable Duration wait(@Nullable Integer seconds) {
    if (seconds == null) {
      return null;
    }
    if (seconds < 0 || seconds > maxWait.toSeconds()) {
      throw new IllegalArgumentException(
          "'waitSeconds' must be a whole number of seconds from 0 to "
              + maxWait.toSeconds()
              + " (KANBU_MCP_MAX_WAIT), was "
              + seconds
              + "; leave it out to get the job at once and follow it with kanbu_job_status");
    }
    return Duration.ofSeconds(seconds);
  }

  private JobAnswer answer(UUID jobId, @Nullable Duration wait) {
    if (wait == null) {
      return new JobAnswer(
          "job " + jobId + " is queued; follow it with kanbu_job_status", jobs.job(jobId));
    }
    JobView job = JobView.of(waiter.awaitEnd(jobId, wait));
    String message =
        switch (job.status()) {
          case SUCCEEDED ->
              "job "
                  + jobId
                  + " succeeded"
                  + (job.backupId() == null ? "" : "; backup " + job.backupId());
          case FAILED -> "job " + jobId + " failed: " + job.error();
          case CANCELLED -> "job " + jobId + " was cancelled";
          case QUEUED, RUNNING ->
              "job "
                  + jobId
                  + " is still "
                  + job.status()
                  + " after "
                  + wait.toSeconds()
                  + " s; follow it with kanbu_job_status";
        };
    return new JobAnswer(message, job);
  }

  private static UUID uuid(String name, @Nullable String value, String hint) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + name + "' is required; " + hint);
    }
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' must be a UUID such as 4c1f0a9e-2b7d-4d21-8f4e-6a0f7e3c9b11, was '"
              + value.replaceAll("[^\\x20-\\x7e]", "?")
              + "'; "
              + hint);
    }
  }
}
