package io.kanbu.backup.gateway.deletion;

import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deletes one backup on purpose (admins only): queues a {@code DELETE_BACKUP} job that deletes
 * every copy on every storage; the backup's row stays as history ({@code DELETED}).
 */
@RestController
@RequestMapping("/api/v1/backups/{id}")
@Tag(name = "backups", description = "List and download backups")
public class DeleteBackupController {

  private final BackupDeletions deletions;

  public DeleteBackupController(BackupDeletions deletions) {
    this.deletions = deletions;
  }

  @DeleteMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Delete a backup: queues a DELETE_BACKUP job",
      description =
          "A worker deletes the backup's object and manifest from every storage that has a copy,"
              + " then marks its copies and the backup DELETED (kept as history). While it runs,"
              + " and if a storage fails, the backup is DELETING: nothing reads it, and deleting"
              + " it again finishes the work. Admins only; audited.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(
      responseCode = "409",
      description = "The backup is pinned (unpin it first), or a queued or running job uses it")
  @ApiResponse(responseCode = "410", description = "The backup was deleted already")
  public ResponseEntity<JobView> delete(
      @PathVariable UUID id,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupJob job = deletions.delete(id, TriggerRequestParser.requestedBy(requestedBy));
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }

  @GetMapping(path = "/deletion", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "What deleting a backup would lose",
      description =
          "The backup, each copy a delete would remove, why it cannot be deleted now (pinned, in"
              + " use, deleted already) and warnings: the newest verified-restorable backup of its"
              + " target, the only available backup of its target and kind.")
  @ApiResponse(responseCode = "200", description = "The preview")
  @ApiResponse(responseCode = "404", description = "No such backup")
  public DeletionPreview preview(@PathVariable UUID id) {
    return deletions.preview(id);
  }
}
