package io.kanbu.backup.model.catalog;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Backups in the catalog. */
public interface BackupRecordRepository
    extends JpaRepository<BackupRecord, UUID>, JpaSpecificationExecutor<BackupRecord> {

  List<BackupRecord> findByJobId(UUID jobId);

  /** The backup, its row locked until the transaction ends (a pin waits for a prune, and back). */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select b from BackupRecord b where b.id = :id")
  Optional<BackupRecord> findForUpdate(@Param("id") UUID id);

  /** The backups of one target and kind in one status: what retention considers. */
  List<BackupRecord> findByTargetAndKindAndStatus(
      String target, BackupKind kind, BackupStatus status);

  /** The newest backup of a target and kind in a status (e.g. the newest available one). */
  Optional<BackupRecord> findFirstByTargetAndKindAndStatusOrderByCreatedAtDesc(
      String target, BackupKind kind, BackupStatus status);

  /** Every backup recorded in one storage, whatever its status. */
  List<BackupRecord> findByStorage(String storage);

  /**
   * Ids of the available encrypted backups of one storage whose data key is wrapped by another key
   * than {@code keyId}, oldest first: what a {@code REKEY} of every backup rewrites. Files of the
   * original Kanbu have no data key to re-wrap and are left out.
   */
  @Query(
      "select b.id from BackupRecord b where b.storage = :storage"
          + " and b.status = BackupStatus.AVAILABLE and b.encrypted = true and b.legacy = false"
          + " and (b.keyId is null or b.keyId <> :keyId) order by b.createdAt")
  List<UUID> findIdsToRekey(@Param("storage") String storage, @Param("keyId") String keyId);

  /**
   * Available backups that no verification has found intact yet (never run, or failed), oldest
   * first.
   */
  @Query(
      "select b.id from BackupRecord b where b.status = BackupStatus.AVAILABLE"
          + " and b.verifiedAt is null order by b.createdAt")
  List<UUID> findUnverifiedIds();

  /**
   * Verification counts over available backups, in this order: total, verified, failed (last
   * verification failed), pending (never verified), no checksum recorded when made (legacy
   * imports).
   */
  @Query(
      value =
          "SELECT count(*),"
              + " count(*) FILTER (WHERE verified_at IS NOT NULL),"
              + " count(*) FILTER (WHERE verify_error IS NOT NULL),"
              + " count(*) FILTER (WHERE verified_at IS NULL AND verify_error IS NULL),"
              + " count(*) FILTER (WHERE legacy)"
              + " FROM backup WHERE status = 'AVAILABLE'",
      nativeQuery = true)
  List<Object[]> verificationCounts();
}
