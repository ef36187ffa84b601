package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** The backup a request names, or the problem the API answers when there is none to work on. */
public final class CatalogBackups {

  private CatalogBackups() {}

  /**
   * @throws ApiProblemException 404 if the catalog has no backup {@code id}
   */
  public static BackupRecord find(BackupRecordRepository backups, UUID id) {
    return backups
        .findById(id)
        .orElseThrow(
            () ->
                ApiProblemException.notFound(
                    "backup not found",
                    "backup '" + id + "' does not exist; list backups with GET /api/v1/backups"));
  }

  /**
   * @param action what the request would do, for the message: {@code verified}, {@code restored}
   * @throws ApiProblemException 404 if there is no backup {@code id}, 409 if it is not available
   *     (missing, being deleted, deleted)
   */
  public static BackupRecord available(BackupRecordRepository backups, UUID id, String action) {
    BackupRecord backup = find(backups, id);
    if (backup.getStatus() != BackupStatus.AVAILABLE) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "backup not available",
          "backup '" + id + "' is " + backup.getStatus() + " and cannot be " + action,
          null);
    }
    return backup;
  }
}
