package io.kanbu.backup.gateway.rekey;

import io.kanbu.backup.gateway.api.ApiProblemException;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues {@code REKEY} jobs (key rotation). A worker re-wraps the data key of encrypted backups
 * under its primary key ({@code BACKUP_ENCRYPTION_KEY}), rewriting only each object's header and
 * its manifest; the data is never decrypted or re-compressed. Afterwards the old key can be removed
 * from the workers.
 */
@RestController
@RequestMapping("/api/v1/backups")
@Tag(name = "key rotation", description = "Re-wrap backups under the primary encryption key")
public class RekeyController {

  private static final String HOW =
      " The worker checks each object against its manifest and the catalog before the rewrite"
          + " becomes visible; a damaged backup or one whose key the workers do not have is skipped"
          + " and named in the job's warnings. The job's summary counts the backups rekeyed,"
          + " already current, repaired after an interrupted rekey, and skipped.";

  private final BackupRecordRepository backups;
  private final JobSubmitter submitter;

  public RekeyController(BackupRecordRepository backups, JobSubmitter submitter) {
    this.backups = backups;
    this.submitter = submitter;
  }

  @PostMapping(path = "/rekey", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Rekey every backup: queues a REKEY job",
      description =
          "Re-wraps the data key of every available encrypted backup whose key is not the"
              + " workers' primary key."
              + HOW
              + " Rekeys run one at a time.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  public ResponseEntity<JobView> rekeyAll(
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    return accepted(
        submitter.submitRekey(null, null, TriggerRequestParser.requestedBy(requestedBy)));
  }

  @PostMapping(path = "/{id}/rekey", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Rekey one backup: queues a REKEY job for it",
      description = "Re-wraps the data key of one encrypted backup under the primary key." + HOW)
  @ApiResponse(responseCode = "202", description = "The queued job")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(
      responseCode = "409",
      description = "The backup is not available (missing, deleted) or not encrypted")
  public ResponseEntity<JobView> rekeyOne(
      @PathVariable UUID id,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupRecord backup = CatalogBackups.available(backups, id, "rekeyed");
    if (!backup.isEncrypted()) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "backup not encrypted",
          "backup '" + id + "' is not encrypted: it has no data key to re-wrap",
          null);
    }
    if (backup.isLegacy()) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "legacy backup",
          "backup '"
              + id
              + "' is a file of the original Kanbu: it is encrypted directly with the operator's"
              + " key and has no data key to re-wrap; restore it and back it up again to bring it"
              + " under the keyring",
          null);
    }
    return accepted(
        submitter.submitRekey(
            id, backup.getTarget(), TriggerRequestParser.requestedBy(requestedBy)));
  }

  private static ResponseEntity<JobView> accepted(BackupJob job) {
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }
}
