package io.kanbu.backup.model.catalog;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The copies of backups on their storages. */
public interface BackupCopyRepository extends JpaRepository<BackupCopy, UUID> {

  /** The copies of one backup, oldest first (the primary's first). */
  List<BackupCopy> findByBackupIdOrderByCreatedAt(UUID backupId);

  /** The copies of several backups (a page of the backups list). */
  List<BackupCopy> findByBackupIdIn(Collection<UUID> backupIds);

  Optional<BackupCopy> findByBackupIdAndStorage(UUID backupId, String storage);

  /** The copies of one backup, their rows locked until the transaction ends. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select c from BackupCopy c where c.backupId = :backupId order by c.createdAt")
  List<BackupCopy> lockByBackupId(@Param("backupId") UUID backupId);

  /** Every copy recorded on one storage, whatever its status. */
  List<BackupCopy> findByStorage(String storage);

  /**
   * Ids of backups with a failed, missing or corrupt copy whose next attempt is due, oldest first:
   * what the replication retry queues {@code REPLICATE} jobs for. Backups that are no longer
   * available, and those without an available copy to copy from, are left out.
   */
  @Query(
      value =
          "SELECT c.backup_id FROM backup_copy c JOIN backup b ON b.id = c.backup_id"
              + " WHERE c.status IN ('FAILED', 'MISSING', 'CORRUPT') AND c.next_attempt_at <= :now"
              + " AND b.status = 'AVAILABLE' AND EXISTS (SELECT 1 FROM backup_copy a"
              + " WHERE a.backup_id = c.backup_id AND a.status = 'AVAILABLE')"
              + " GROUP BY c.backup_id ORDER BY min(c.next_attempt_at)"
              + " LIMIT :limit",
      nativeQuery = true)
  List<UUID> findBackupsDueForRepair(@Param("now") Instant now, @Param("limit") int limit);

  /** How many available backups have fewer available copies than copies, for the status report. */
  @Query(
      value =
          "SELECT count(*) FROM backup b WHERE b.status = 'AVAILABLE' AND EXISTS (SELECT 1 FROM"
              + " backup_copy c WHERE c.backup_id = b.id AND c.status <> 'AVAILABLE')",
      nativeQuery = true)
  long countDegradedBackups();
}
