package io.kanbu.backup.gateway.verification;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.backups.CatalogBackups;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues {@code VERIFY} jobs and reports verification counts. A worker runs each job: it reads the
 * stored object once, checks the stored SHA-256, decrypts, checks the plaintext SHA-256,
 * decompresses to the end and checks the manifest, then records {@code verifiedAt} or {@code
 * verifyError} on the backup.
 */
@RestController
@RequestMapping("/api/v1/backups")
@Tag(name = "verification", description = "Verify backups")
public class VerificationController {

  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final JobSubmitter submitter;

  public VerificationController(
      BackupRecordRepository backups, BackupJobRepository jobs, JobSubmitter submitter) {
    this.backups = backups;
    this.jobs = jobs;
    this.submitter = submitter;
  }

  @PostMapping(path = "/{id}/verify", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Verify one backup: queues a VERIFY job",
      description =
          "With drill=true the job is a restore drill: after the verification it restores the"
              + " database backup into a scratch database kanbu_drill_<short job id>, compares every"
              + " table's row count with the manifest, measures the restore time and drops the"
              + " database; the result is the backup's lastDrill.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(
      responseCode = "409",
      description = "The backup is missing or deleted, or a drill of a source backup")
  public ResponseEntity<JobView> verify(
      @PathVariable UUID id,
      @RequestParam(name = "drill", defaultValue = "false") boolean drill,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupRecord backup = CatalogBackups.available(backups, id, "verified");
    if (drill && backup.getKind() != BackupKind.DATABASE) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "no drill for this backup",
          "backup '" + id + "' is a source backup; restore drills restore database backups",
          null);
    }
    BackupJob job =
        submitter.submitVerify(
            id, backup.getTarget(), TriggerRequestParser.requestedBy(requestedBy), drill);
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }

  @PostMapping(path = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Verify every backup not yet verified",
      description =
          "Queues one VERIFY job per available backup without a successful verification (never"
              + " verified, or its last verification failed), oldest first.")
  @ApiResponse(responseCode = "202", description = "The queued jobs")
  public ResponseEntity<VerifyAllAccepted> verifyAll(
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    String who = TriggerRequestParser.requestedBy(requestedBy);
    List<UUID> jobIds = new ArrayList<>();
    for (UUID backupId : backups.findUnverifiedIds()) {
      if (jobs.existsByTypeAndBackupIdAndStatusIn(
          JobType.VERIFY, backupId, List.of(JobStatus.QUEUED, JobStatus.RUNNING))) {
        // a verification of it is already on its way
        continue;
      }
      backups
          .findById(backupId)
          .ifPresent(
              b -> jobIds.add(submitter.submitVerify(backupId, b.getTarget(), who, false).getId()));
    }
    return ResponseEntity.accepted()
        .body(new VerifyAllAccepted(List.copyOf(jobIds), jobIds.size()));
  }

  @PostMapping(path = "/rescan", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Reconcile the catalog with storage: queues a RESCAN job",
      description =
          "A worker lists its storage and reads every manifest: backups described by a manifest"
              + " but missing from the catalog are adopted, available backups whose object is"
              + " gone are marked MISSING, missing ones that are back become AVAILABLE again."
              + " The job's summary gives the counts and its warnings name every object that"
              + " could not be trusted (damaged manifest, size mismatch) and every legacy Kanbu"
              + " file found.")
  @ApiResponse(responseCode = "202", description = "The queued job")
  public ResponseEntity<JobView> rescan(
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    BackupJob job = submitter.submitRescan(TriggerRequestParser.requestedBy(requestedBy));
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(job.getId())))
        .body(JobView.of(job));
  }

  @GetMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Verification counts over the available backups")
  public BackupStats stats() {
    Object[] row = backups.verificationCounts().getFirst();
    return new BackupStats(
        ((Number) row[0]).longValue(),
        ((Number) row[1]).longValue(),
        ((Number) row[3]).longValue(),
        ((Number) row[2]).longValue(),
        ((Number) row[4]).longValue());
  }
}
