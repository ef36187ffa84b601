package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Jobs in the catalog. */
public interface BackupJobRepository
    extends JpaRepository<BackupJob, UUID>, JpaSpecificationExecutor<BackupJob> {

  Optional<BackupJob> findByIdempotencyKey(String idempotencyKey);

  /**
   * The queued and running jobs that use a backup (a verification, restore, rekey of it): retention
   * must not delete what they read.
   */
  @Query(
      "select j from BackupJob j where j.backupId is not null"
          + " and j.status in (JobStatus.QUEUED, JobStatus.RUNNING)")
  List<BackupJob> findActiveUsingABackup();

  /** Backup id → a queued or running job that uses it: what retention must keep. */
  default Map<UUID, UUID> activeJobsByBackup() {
    Map<UUID, UUID> inUse = new HashMap<>();
    for (BackupJob job : findActiveUsingABackup()) {
      inUse.put(Objects.requireNonNull(job.getBackupId()), job.getId());
    }
    return inUse;
  }

  /** The jobs a schedule firing created (see {@link BackupJob#startedByFiring}). */
  List<BackupJob> findByScheduleFiringIdOrderByType(UUID scheduleFiringId);

  /** The jobs of one recovery point (see {@link BackupJob#joinRecoveryPoint}). */
  List<BackupJob> findByRecoveryPointId(UUID recoveryPointId);

  /**
   * Whether a job of this type about this backup is in one of these states (e.g. still pending).
   */
  boolean existsByTypeAndBackupIdAndStatusIn(
      JobType type, UUID backupId, Collection<JobStatus> statuses);

  /** Whether a job holding this lock key is in this state (e.g. a job runs on the target). */
  boolean existsByLockKeyAndStatus(String lockKey, JobStatus status);

  /** Loads a job and locks its row until the transaction ends. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select j from BackupJob j where j.id = :id")
  Optional<BackupJob> findForUpdate(@Param("id") UUID id);

  /**
   * Claims a job for one worker: the single conditional UPDATE that decides who runs it. Takes a
   * queued job, or a running one whose lease ran out (its worker died); the new attempt starts
   * without the progress of an earlier one.
   *
   * @return 1 if this worker won, 0 if the job is not claimable (a duplicate command, or it ended)
   * @throws org.springframework.dao.DataIntegrityViolationException if another running job holds
   *     the same lock key (the target is busy)
   */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_job
             SET status = 'RUNNING', worker_id = :workerId, lease_until = :leaseUntil,
                 attempts = attempts + 1, started_at = COALESCE(started_at, :now), updated_at = :now,
                 progress_stage = NULL, progress_since = NULL, progress_bytes = NULL,
                 progress_at = NULL
           WHERE id = :id
             AND (status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < :now))
          """,
      nativeQuery = true)
  int claim(
      @Param("id") UUID id,
      @Param("workerId") String workerId,
      @Param("leaseUntil") Instant leaseUntil,
      @Param("now") Instant now);

  /**
   * Extends the lease of a job this worker runs.
   *
   * @return 1 if renewed, 0 if the worker no longer owns the job (it was reaped or re-claimed)
   */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_job SET lease_until = :leaseUntil, updated_at = :now
           WHERE id = :id AND status = 'RUNNING' AND worker_id = :workerId
          """,
      nativeQuery = true)
  int renewLease(
      @Param("id") UUID id,
      @Param("workerId") String workerId,
      @Param("leaseUntil") Instant leaseUntil,
      @Param("now") Instant now);

  /**
   * Queued jobs whose command was never confirmed by the broker and that have waited since before
   * {@code before}; locked so that concurrent relays skip each other's rows.
   */
  @Query(
      value =
          """
          SELECT * FROM backup_job
           WHERE status = 'QUEUED' AND published_at IS NULL AND updated_at < :before
           ORDER BY created_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
          """,
      nativeQuery = true)
  List<BackupJob> lockUnpublished(@Param("before") Instant before, @Param("limit") int limit);

  /**
   * Queued jobs whose command the broker confirmed before {@code before} and that no worker has
   * claimed since: their message may be gone (dead-lettered after being handed back too often, e.g.
   * while the catalog was down); locked so that concurrent relays skip each other's rows.
   */
  @Query(
      value =
          """
          SELECT * FROM backup_job
           WHERE status = 'QUEUED' AND published_at < :before
           ORDER BY published_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
          """,
      nativeQuery = true)
  List<BackupJob> lockStalePublished(@Param("before") Instant before, @Param("limit") int limit);

  /** Records that a queued job's command was published again. */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value = "UPDATE backup_job SET published_at = :now WHERE id = :id AND status = 'QUEUED'",
      nativeQuery = true)
  int markRepublished(@Param("id") UUID id, @Param("now") Instant now);

  /** Running jobs whose lease ran out before {@code now}, locked for the reaper. */
  @Query(
      value =
          """
          SELECT * FROM backup_job
           WHERE status = 'RUNNING' AND lease_until < :now
           ORDER BY lease_until
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
          """,
      nativeQuery = true)
  List<BackupJob> lockExpiredLeases(@Param("now") Instant now, @Param("limit") int limit);

  /**
   * Records the stage a running job of {@code workerId} entered, when its byte count began, and
   * that count.
   */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_job SET progress_stage = :stage, progress_since = :since,
                 progress_bytes = :bytes, progress_at = :now
           WHERE id = :id AND status = 'RUNNING' AND worker_id = :workerId
          """,
      nativeQuery = true)
  int recordStage(
      @Param("id") UUID id,
      @Param("workerId") String workerId,
      @Param("stage") String stage,
      @Param("since") Instant since,
      @Param("bytes") long bytes,
      @Param("now") Instant now);

  /** Records how many bytes the current stage of a running job of {@code workerId} has read. */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_job SET progress_bytes = :bytes, progress_at = :now
           WHERE id = :id AND status = 'RUNNING' AND worker_id = :workerId
          """,
      nativeQuery = true)
  int recordProgress(
      @Param("id") UUID id,
      @Param("workerId") String workerId,
      @Param("bytes") long bytes,
      @Param("now") Instant now);

  /** Marks the command of a job as confirmed by the broker. */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value = "UPDATE backup_job SET published_at = :now WHERE id = :id AND published_at IS NULL",
      nativeQuery = true)
  int markPublished(@Param("id") UUID id, @Param("now") Instant now);

  /**
   * Hands a job back to the relay (its command will be published again after a pause), e.g. when
   * its target is busy with another job.
   */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_job SET published_at = NULL, updated_at = :now
           WHERE id = :id AND status = 'QUEUED'
          """,
      nativeQuery = true)
  int unpublish(@Param("id") UUID id, @Param("now") Instant now);
}
