package io.kanbu.backup.model.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Firings of schedules. */
public interface ScheduleFiringRepository extends JpaRepository<ScheduleFiring, UUID> {

  /**
   * Claims one firing: inserts its row unless one for the same schedule and fire time exists. Of
   * any number of concurrent claimers exactly one gets 1 (PostgreSQL makes the others wait for the
   * winner's commit, then skips them); only the winner may create the firing's jobs, in the same
   * transaction.
   *
   * @return 1 if this caller claimed the firing, 0 if another one had
   */
  @Modifying(flushAutomatically = true)
  @Query(
      value =
          """
          INSERT INTO schedule_firing
                 (id, schedule_id, fire_time, trigger, outcome, detail, claimed_by, claimed_at)
          VALUES (:id, :scheduleId, :fireTime, :trigger, :outcome, :detail, :claimedBy, :claimedAt)
          ON CONFLICT (schedule_id, fire_time) DO NOTHING
          """,
      nativeQuery = true)
  int claim(
      @Param("id") UUID id,
      @Param("scheduleId") UUID scheduleId,
      @Param("fireTime") Instant fireTime,
      @Param("trigger") String trigger,
      @Param("outcome") String outcome,
      @Param("detail") String detail,
      @Param("claimedBy") String claimedBy,
      @Param("claimedAt") Instant claimedAt);

  /** Ids of the schedule's jobs that are still queued or running, oldest first. */
  @Query(
      value =
          """
          SELECT j.id FROM backup_job j JOIN schedule_firing f ON f.id = j.schedule_firing_id
           WHERE f.schedule_id = :scheduleId AND j.status IN ('QUEUED', 'RUNNING')
           ORDER BY j.created_at
          """,
      nativeQuery = true)
  List<UUID> findActiveJobIds(@Param("scheduleId") UUID scheduleId);

  /** The schedule's firings, newest fire time first. */
  Page<ScheduleFiring> findByScheduleIdOrderByFireTimeDesc(UUID scheduleId, Pageable page);

  /** The schedule's firings between two fire times (both included), oldest first. */
  List<ScheduleFiring> findByScheduleIdAndFireTimeBetweenOrderByFireTime(
      UUID scheduleId, Instant from, Instant to);
}
