package io.kanbu.backup.gateway.restore;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerAccepted;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues the restore of a database backup. Nothing is queued unless {@code confirm} repeats the
 * name of the database that will be overwritten; the worker then checks, verifies, takes a safety
 * backup and applies (see docs/messages.md).
 */
@RestController
@RequestMapping("/api/v1/backups")
@Tag(name = "restore", description = "Restore a database backup")
public class RestoreController {

  /** Database names a restore accepts (as the worker's). */
  static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

  private static final int MAX_REASON_LENGTH = 500;

  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final JobSubmitter submitter;
  private final TargetDatabaseNames databaseNames;

  public RestoreController(
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      JobSubmitter submitter,
      TargetDatabaseNames databaseNames) {
    this.backups = backups;
    this.jobs = jobs;
    this.submitter = submitter;
    this.databaseNames = databaseNames;
  }

  @PostMapping(
      path = "/{id}/restore",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Restore a database backup: queues a RESTORE_DATABASE job")
  @ApiResponse(
      responseCode = "202",
      description = "The queued job, as the trigger answers: jobId, status, statusUrl")
  @ApiResponse(responseCode = "400", description = "Bad body or wrong confirmation; nothing queued")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(
      responseCode = "409",
      description = "The backup cannot be restored, or a job runs on the target")
  public ResponseEntity<TriggerAccepted> restore(
      @PathVariable UUID id,
      @RequestBody RestoreRequest body,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupRecord backup =
        backups.findById(id).orElseThrow(() -> ApiProblemException.backupNotFound(id));
    String target = body.target() == null ? backup.getTarget() : body.target();
    if (!target.equals(backup.getTarget())) {
      throw ApiProblemException.badRequest(
          "target",
          "backup '"
              + id
              + "' belongs to target '"
              + backup.getTarget()
              + "'; restore it there (into another database with 'database' if you like)");
    }
    String database = body.database();
    if (database != null && !DATABASE_NAME.matcher(database).matches()) {
      throw ApiProblemException.badRequest(
          "database",
          "'database' must be a plain name: letters, digits, '_' and '-', at most 63 characters");
    }
    String overwritten = database != null ? database : databaseNames.of(target).orElse(null);
    if (overwritten == null) {
      throw ApiProblemException.badRequest(
          "database",
          "the gateway does not know the database of target '"
              + target
              + "'; name it in 'database' and repeat it in 'confirm'");
    }
    if (!overwritten.equals(body.confirm())) {
      throw ApiProblemException.badRequest(
          "confirm",
          "'confirm' must be the name of the database that will be overwritten, '"
              + overwritten
              + "'; nothing was queued");
    }
    String waiver = null;
    if (body.skipSafetyBackup() != null) {
      waiver = body.skipSafetyBackup().reason();
      if (waiver == null || waiver.isBlank() || waiver.length() > MAX_REASON_LENGTH) {
        throw ApiProblemException.badRequest(
            "skipSafetyBackup.reason",
            "skipping the safety backup needs a reason (1 to 500 characters); it is recorded");
      }
    }
    if (backup.getKind() != BackupKind.DATABASE || backup.getStatus() != BackupStatus.AVAILABLE) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "backup cannot be restored",
          "backup '"
              + id
              + "' is a "
              + backup.getStatus()
              + " "
              + backup.getKind()
              + " backup; only available database backups can be restored",
          null);
    }
    String lock = JobType.RESTORE_DATABASE.lockKey(target);
    if (jobs.existsByLockKeyAndStatus(lock, JobStatus.RUNNING)) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "target busy",
          "a job is running on target '"
              + target
              + "' (a backup or another restore); try again when it has ended",
          null);
    }
    BackupJob job =
        submitter.submitRestore(
            id,
            target,
            new BackupJob.RestoreDetails(
                database, Boolean.TRUE.equals(body.terminateConnections()), waiver),
            TriggerRequestParser.requestedBy(requestedBy));
    String statusUrl = JobView.selfLink(job.getId());
    return ResponseEntity.accepted()
        .location(URI.create(statusUrl))
        .body(new TriggerAccepted(job.getId(), job.getStatus(), statusUrl));
  }
}
