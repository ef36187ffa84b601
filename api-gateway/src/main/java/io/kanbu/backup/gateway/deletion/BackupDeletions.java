package io.kanbu.backup.gateway.deletion;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.backups.BackupView;
import io.kanbu.backup.gateway.backups.CatalogBackups;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Deleting one backup, for the API and the dashboard alike: the refusals, what would be lost, and
 * the {@code DELETE_BACKUP} job. The worker checks the refusals again with the backup's row locked
 * (a pin or a job may come between the request and the run).
 */
@Component
public class BackupDeletions {

  private final BackupRecordRepository backups;
  private final BackupCopyRepository copies;
  private final BackupJobRepository jobs;
  private final JobSubmitter submitter;

  public BackupDeletions(
      BackupRecordRepository backups,
      BackupCopyRepository copies,
      BackupJobRepository jobs,
      JobSubmitter submitter) {
    this.backups = backups;
    this.copies = copies;
    this.jobs = jobs;
    this.submitter = submitter;
  }

  /**
   * Queues the deletion of backup {@code id}.
   *
   * @throws ApiProblemException 404 if there is no such backup, 410 if it is deleted already, 409
   *     if it is pinned or a queued or running job uses it
   */
  public BackupJob delete(UUID id, String requestedBy) {
    BackupRecord backup = CatalogBackups.find(backups, id);
    refusal(backup)
        .ifPresent(
            problem -> {
              throw problem;
            });
    return submitter.submitDelete(id, backup.getTarget(), requestedBy);
  }

  /**
   * What deleting backup {@code id} would lose, and whether it may be deleted now.
   *
   * @throws ApiProblemException 404 if there is no such backup
   */
  public DeletionPreview preview(UUID id) {
    BackupRecord backup = CatalogBackups.find(backups, id);
    List<BackupCopy> recorded =
        BackupCopy.orImplicit(copies.findByBackupIdOrderByCreatedAt(id), backup);
    BackupView view = BackupView.of(backup, recorded);
    List<BackupView.CopyView> removed =
        view.copies().storages().stream()
            .filter(c -> c.status() != BackupCopyStatus.DELETED)
            .toList();
    return new DeletionPreview(
        view,
        removed,
        refusal(backup).map(ApiProblemException::getMessage).orElse(null),
        warnings(backup));
  }

  private Optional<ApiProblemException> refusal(BackupRecord backup) {
    UUID id = backup.getId();
    if (backup.getStatus() == BackupStatus.DELETED) {
      return Optional.of(
          new ApiProblemException(
              HttpStatus.GONE,
              "backup deleted",
              "backup '"
                  + id
                  + "' was deleted already"
                  + (backup.getDeletedByJobId() == null
                      ? ""
                      : " by job '" + backup.getDeletedByJobId() + "'")
                  + "; nothing is left to delete",
              null));
    }
    if (backup.isPinned()) {
      return Optional.of(
          new ApiProblemException(
              HttpStatus.CONFLICT,
              "backup pinned",
              "backup '" + id + "' is pinned: unpin it first",
              null));
    }
    return jobs.findActiveUsingABackup().stream()
        .filter(j -> id.equals(j.getBackupId()))
        .min(Comparator.comparing(BackupJob::getCreatedAt))
        .map(
            user ->
                new ApiProblemException(
                    HttpStatus.CONFLICT,
                    "backup in use",
                    "backup '"
                        + id
                        + "' is in use by "
                        + user.describe()
                        + ": wait for it to end, then delete the backup",
                    null));
  }

  /** What else goes with the backup: the newest proof of a restorable target, or its last copy. */
  private List<String> warnings(BackupRecord backup) {
    if (backup.getStatus() != BackupStatus.AVAILABLE) {
      return List.of();
    }
    List<BackupRecord> available =
        backups.findByTargetAndKindAndStatus(
            backup.getTarget(), backup.getKind(), BackupStatus.AVAILABLE);
    String kind = backup.getKind().name().toLowerCase(java.util.Locale.ROOT);
    List<String> warnings = new ArrayList<>();
    Optional<BackupRecord> newestRestorable =
        available.stream()
            .filter(BackupRecord::isVerifiedRestorable)
            .max(Comparator.comparing(BackupRecord::getCreatedAt));
    if (newestRestorable.filter(b -> b.getId().equals(backup.getId())).isPresent()) {
      warnings.add(
          "it is the newest verified-restorable backup of target '"
              + backup.getTarget()
              + "' (its last restore drill passed); no backup made after it has proven it"
              + " restores");
    }
    if (available.size() == 1 && available.getFirst().getId().equals(backup.getId())) {
      warnings.add(
          "it is the only available "
              + kind
              + " backup of target '"
              + backup.getTarget()
              + "': after the delete the target has none to restore from");
    }
    return warnings;
  }
}
