package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.schedule.SchedulerMode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/** The external trigger, compatible with the original Kanbu clients. */
@RestController
@RequestMapping("/api/backup/trigger")
@Tag(name = "trigger", description = "Start a backup")
public class TriggerController {

  /** Header that marks an answer given again for a repeated idempotency key. */
  static final String REPLAYED_HEADER = "Idempotent-Replayed";

  /** Largest body read; a trigger body is a few dozen bytes. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private final TriggerRequestParser parser;
  private final JobSubmitter submitter;
  private final JobCompletionWaiter waiter;
  private final SchedulerMode mode;

  public TriggerController(
      GatewayProperties properties, JobSubmitter submitter, JobCompletionWaiter waiter) {
    this.parser =
        new TriggerRequestParser(properties.targetNames(), properties.trigger().maxWait());
    this.submitter = submitter;
    this.waiter = waiter;
    this.mode = properties.schedules().schedulerMode();
  }

  @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Trigger a backup",
      description =
          "Creates a job and queues its command. Without 'wait' answers 202 at once. With"
              + " 'wait=<seconds>' holds the request until the job ends and answers 200 with the"
              + " job if it SUCCEEDED, 500 with the job if it FAILED or was CANCELLED (so that"
              + " 'curl --fail' tells them apart), or 202 with the job if it is still running when"
              + " the wait is over.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = TriggerBody.class))))
  @ApiResponse(
      responseCode = "202",
      description = "Job queued (or still running after the wait)",
      content = @Content(schema = @Schema(implementation = TriggerAccepted.class)))
  @ApiResponse(
      responseCode = "200",
      description = "With 'wait': the job succeeded",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @ApiResponse(
      responseCode = "500",
      description = "With 'wait': the job failed or was cancelled; see 'status' and 'error'",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  @ApiResponse(responseCode = "400", description = "Bad body, parameter or header")
  @ApiResponse(responseCode = "401", description = "Missing or wrong API key")
  @ApiResponse(
      responseCode = "403",
      description = "External triggers are off: BACKUP_SCHEDULER_MODE is 'internal'")
  @ApiResponse(responseCode = "409", description = "Idempotency key used for another request")
  @Parameter(
      name = "wait",
      in = ParameterIn.QUERY,
      description = "Seconds to wait for the job to end, 0 to 3600",
      schema = @Schema(type = "integer", minimum = "0", maximum = "3600"))
  public ResponseEntity<Object> trigger(
      HttpServletRequest servletRequest,
      @Parameter(description = "Repeating a key returns the job the first request created")
          @RequestHeader(name = TriggerRequestParser.IDEMPOTENCY_KEY_HEADER, required = false)
          @Nullable String idempotencyKey,
      @Parameter(description = "Label of the caller, kept with the job")
          @RequestHeader(name = "X-Requested-By", required = false)
          @Nullable String requestedBy)
      throws IOException {
    if (!mode.acceptsExternalTrigger()) {
      throw new ApiProblemException(
          HttpStatus.FORBIDDEN,
          "external triggers are off",
          "external triggers are off: BACKUP_SCHEDULER_MODE is 'internal', so backups run from"
              + " the schedules (/api/v1/schedules; POST /api/v1/schedules/{id}/run runs one now);"
              + " set BACKUP_SCHEDULER_MODE to 'both' or 'external' to accept this trigger",
          null);
    }
    // Read the body before anything parses parameters: `curl -d '{"type":"database"}'` without a
    // Content-Type sends the JSON as a form, and parsing the form would consume it.
    byte[] body = servletRequest.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw ApiProblemException.badRequest(
          "body",
          "the request body is larger than "
              + MAX_BODY_BYTES
              + " bytes; send a small JSON object such as {\"type\":\"database\"}");
    }
    Duration maxWait = parser.parseWait(queryParameter(servletRequest, "wait"));
    String key = parser.parseIdempotencyKey(idempotencyKey);
    TriggerRequest request = parser.parseBody(body);
    JobSubmitter.Submission submission =
        submitter.submit(request, key, TriggerRequestParser.requestedBy(requestedBy));
    if (submission.jobs().size() > 1) {
      return recoveryPoint(submission, maxWait);
    }
    BackupJob job = submission.job();
    URI statusUrl = URI.create(JobView.selfLink(job.getId()));
    ResponseEntity.BodyBuilder answer;
    Object payload;
    if (maxWait == null) {
      answer = ResponseEntity.status(HttpStatus.ACCEPTED);
      payload = new TriggerAccepted(job.getId(), job.getStatus(), statusUrl.toString());
    } else {
      BackupJob current = waiter.awaitEnd(job.getId(), maxWait);
      answer = ResponseEntity.status(statusAfterWait(current.getStatus()));
      payload = JobView.of(current);
    }
    answer.location(statusUrl);
    if (submission.replayed()) {
      answer.header(REPLAYED_HEADER, "true");
    }
    return answer.contentType(MediaType.APPLICATION_JSON).body(payload);
  }

  /**
   * The answer for several jobs forming one recovery point ({@code "all"}): like a single job's,
   * with every job in it. After a wait, 200 only if all succeeded, 500 if all ended and one did not
   * succeed, 202 while one still runs.
   */
  private ResponseEntity<Object> recoveryPoint(
      JobSubmitter.Submission submission, @Nullable Duration maxWait) {
    List<BackupJob> jobs = submission.jobs();
    UUID recoveryPointId = jobs.getFirst().getRecoveryPointId();
    ResponseEntity.BodyBuilder answer;
    Object payload;
    if (maxWait == null) {
      answer = ResponseEntity.status(HttpStatus.ACCEPTED);
      payload =
          new RecoveryPointAccepted(
              recoveryPointId,
              jobs.stream()
                  .map(
                      j ->
                          new TriggerAccepted(
                              j.getId(), j.getStatus(), JobView.selfLink(j.getId())))
                  .toList());
    } else {
      java.time.Instant deadline = java.time.Instant.now().plus(maxWait);
      List<BackupJob> ended = new java.util.ArrayList<>();
      for (BackupJob job : jobs) {
        Duration left = Duration.between(java.time.Instant.now(), deadline);
        ended.add(waiter.awaitEnd(job.getId(), left.isNegative() ? Duration.ZERO : left));
      }
      HttpStatus status = HttpStatus.OK;
      for (BackupJob job : ended) {
        HttpStatus one = statusAfterWait(job.getStatus());
        if (one == HttpStatus.ACCEPTED) {
          status = HttpStatus.ACCEPTED;
        } else if (one != HttpStatus.OK && status == HttpStatus.OK) {
          status = one;
        }
      }
      answer = ResponseEntity.status(status);
      payload = new RecoveryPointView(recoveryPointId, ended.stream().map(JobView::of).toList());
    }
    answer.location(URI.create(JobView.selfLink(jobs.getFirst().getId())));
    if (submission.replayed()) {
      answer.header(REPLAYED_HEADER, "true");
    }
    return answer.contentType(MediaType.APPLICATION_JSON).body(payload);
  }

  /**
   * The answer to an {@code "all"} trigger that does not wait.
   *
   * @param recoveryPointId shared by the jobs, and shown on each of them
   * @param jobs the database job, then the source job
   */
  public record RecoveryPointAccepted(@Nullable UUID recoveryPointId, List<TriggerAccepted> jobs) {}

  /**
   * The answer to an {@code "all"} trigger after its wait.
   *
   * @param recoveryPointId shared by the jobs
   * @param jobs each job as it stands
   */
  public record RecoveryPointView(@Nullable UUID recoveryPointId, List<JobView> jobs) {}

  /**
   * 200 only for a job that succeeded, so that {@code curl --fail} in a cron line fails for a
   * failed backup; a failed or cancelled job answers 500 with the job (as the original Kanbu
   * endpoint answered "Backup Failed"), a job still running 202.
   */
  static HttpStatus statusAfterWait(JobStatus status) {
    if (!status.isFinal()) {
      return HttpStatus.ACCEPTED;
    }
    return status == JobStatus.SUCCEEDED ? HttpStatus.OK : HttpStatus.INTERNAL_SERVER_ERROR;
  }

  /** The query parameter {@code name}, read from the query string only (never from a form body). */
  private static @Nullable String queryParameter(HttpServletRequest request, String name) {
    String query = request.getQueryString();
    if (query == null) {
      return null;
    }
    return UriComponentsBuilder.newInstance()
        .query(query)
        .build()
        .getQueryParams()
        .getOrDefault(name, List.of())
        .stream()
        .findFirst()
        .map(value -> value == null ? "" : UriUtils.decode(value, StandardCharsets.UTF_8))
        .orElse(null);
  }

  @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
  @SecurityRequirements
  @Operation(summary = "Whether the trigger is up and configured (no key needed)")
  public TriggerHealth health() {
    // The key is validated at startup, so a running gateway is always configured.
    return new TriggerHealth("ok", true);
  }

  /**
   * The trigger's health, as the original Kanbu endpoint answered it.
   *
   * @param status always {@code ok} while the gateway runs
   * @param configured whether the trigger key is configured
   */
  public record TriggerHealth(String status, boolean configured) {}
}
