package io.kanbu.backup.gateway.sourcerestore;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.backups.CatalogBackups;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues {@code RESTORE_SOURCE} jobs. The gateway checks what it can know (the backup exists, is a
 * source backup, is available; the directory is absolute; a confirmation names the target); the
 * worker checks the directory on its own host (empty or new, not the live tree unless confirmed)
 * before it writes anything, and fails the job saying why.
 */
@RestController
@Tag(name = "source restore", description = "Extract a source backup into a directory")
public class SourceRestoreController {

  private final BackupRecordRepository backups;
  private final JobSubmitter submitter;

  public SourceRestoreController(BackupRecordRepository backups, JobSubmitter submitter) {
    this.backups = backups;
    this.submitter = submitter;
  }

  @PostMapping(
      path = "/api/v1/backups/{id}/restore-source",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Restore a source backup into a directory: queues a RESTORE_SOURCE job",
      description =
          "A worker extracts the backup into 'directory' (absolute; empty or not yet existing on"
              + " the worker), decrypting it when encrypted and checking the SHA-256 of the stored"
              + " bytes and of the compressed plaintext against the catalog while it streams into"
              + " a staging directory beside 'directory', renamed into place only when every check"
              + " passed; a mismatch fails the job, removes what was extracted and is recorded on"
              + " the backup as a failed verification. Entries that would escape the directory"
              + " ('../', absolute names, hard links) fail the job too; a symbolic link pointing"
              + " outside is skipped and named in the job's warnings. Modes and modification"
              + " times are restored. The target's live source tree, a"
              + " directory inside it or one containing it is refused unless 'overwriteLiveTree'"
              + " repeats the target's name, and must be empty even then: to replace a live tree,"
              + " restore beside it and swap. The job ends with a summary (files, bytes,"
              + " directory).")
  @ApiResponse(responseCode = "202", description = "The queued job")
  @ApiResponse(
      responseCode = "400",
      description =
          "No body or no directory, a relative directory, a confirmation that is not the"
              + " target's name, or a database backup")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(responseCode = "409", description = "The backup is not available (missing, deleted)")
  public ResponseEntity<JobView> restoreSource(
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable SourceRestoreRequest body,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    String directory = body == null ? null : body.directory();
    if (directory == null || directory.isBlank()) {
      throw ApiProblemException.badRequest(
          "directory",
          "the body needs 'directory': the absolute path of an empty or new directory on the"
              + " worker, e.g. {\"directory\":\"/srv/restore/app\"}");
    }
    if (!directory.startsWith("/") || directory.indexOf('\0') >= 0) {
      throw ApiProblemException.badRequest(
          "directory",
          "directory '"
              + directory.replaceAll("\\p{Cntrl}", "?")
              + "' is not an absolute path; send one starting with '/'");
    }
    BackupRecord backup = CatalogBackups.available(backups, id, "restored");
    if (backup.getKind() != BackupKind.SOURCE) {
      throw ApiProblemException.badRequest(
          "id",
          "backup '"
              + id
              + "' is a database backup, not a source backup; restore-source extracts source"
              + " backups only");
    }
    String confirmation = body.overwriteLiveTree();
    if (confirmation != null && !confirmation.equals(backup.getTarget())) {
      throw ApiProblemException.badRequest(
          "overwriteLiveTree",
          "overwriteLiveTree does not match the backup's target '"
              + backup.getTarget()
              + "'; type the target's name to confirm, or leave it out to restore beside the live"
              + " tree");
    }
    if (directory.length() > BackupCommand.MAX_DIRECTORY_LENGTH) {
      throw ApiProblemException.badRequest(
          "directory",
          "directory is longer than " + BackupCommand.MAX_DIRECTORY_LENGTH + " characters");
    }
    BackupJob job =
        submitter.submitSourceRestore(
            id,
            backup.getTarget(),
            new BackupJob.SourceRestoreDetails(directory, confirmation),
            TriggerRequestParser.requestedBy(requestedBy));
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }
}
