package io.kanbu.backup.gateway.replication;

import io.kanbu.backup.gateway.backups.CatalogBackups;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues a {@code REPLICATE} job for one backup: a worker writes every copy it lacks on the
 * storages of {@code BACKUP_STORAGE} (workers also do so on their own, after each backup and when a
 * failed copy is due for another attempt; this asks now).
 */
@RestController
@RequestMapping("/api/v1/backups")
@Tag(name = "backups", description = "List and download backups")
public class ReplicationController {

  private final BackupRecordRepository backups;
  private final JobSubmitter submitter;

  public ReplicationController(BackupRecordRepository backups, JobSubmitter submitter) {
    this.backups = backups;
    this.submitter = submitter;
  }

  @PostMapping(path = "/{id}/replicate", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Copy a backup to every storage that lacks it: queues a REPLICATE job",
      description =
          "A worker streams the backup from an intact copy to each storage of its BACKUP_STORAGE"
              + " list whose copy is pending, failed, missing or corrupt, checking the stored"
              + " bytes' SHA-256 on the way. The job's summary says what was copied and how many"
              + " copies are available.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(responseCode = "409", description = "The backup is not available (missing, deleted)")
  public ResponseEntity<JobView> replicate(
      @PathVariable UUID id,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupRecord backup = CatalogBackups.available(backups, id, "copied");
    BackupJob job =
        submitter.submitReplicate(
            id, backup.getTarget(), TriggerRequestParser.requestedBy(requestedBy));
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }
}
