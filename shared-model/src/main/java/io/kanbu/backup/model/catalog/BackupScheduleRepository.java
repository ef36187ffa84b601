package io.kanbu.backup.model.catalog;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Schedules in the catalog. */
public interface BackupScheduleRepository extends JpaRepository<BackupSchedule, UUID> {

  Optional<BackupSchedule> findByName(String name);

  /**
   * Loads a schedule and locks its row until the transaction ends: firings of one schedule decide
   * whether an earlier job is still active one after the other, so two of them (a replica's and a
   * run-now, or two replicas with different due times) never both start a job.
   */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select s from BackupSchedule s where s.id = :id")
  Optional<BackupSchedule> findForUpdate(@Param("id") UUID id);

  /** Enabled schedules whose next fire time has come, the most overdue first. */
  @Query(
      "select s from BackupSchedule s where s.enabled = true and s.nextFireAt <= :now"
          + " order by s.nextFireAt, s.id")
  List<BackupSchedule> findDue(@Param("now") Instant now);

  /**
   * Moves a schedule past the fire times a scheduler handled: the conditional UPDATE that keeps
   * replicas from handling them again. It only applies if the schedule still expects {@code
   * handledFrom} (no other replica moved it, nobody paused or re-timed it meanwhile).
   *
   * @param handledFrom the next fire time the scheduler read
   * @param lastFired the newest fire time it handled
   * @param nextFire the first fire time after those
   * @return 1 if moved, 0 if the schedule changed meanwhile
   */
  @Modifying(flushAutomatically = true, clearAutomatically = true)
  @Query(
      value =
          """
          UPDATE backup_schedule
             SET next_fire_at = :nextFire,
                 last_fired_at = GREATEST(COALESCE(last_fired_at, :lastFired), :lastFired)
           WHERE id = :id AND enabled AND next_fire_at = :handledFrom
          """,
      nativeQuery = true)
  int advance(
      @Param("id") UUID id,
      @Param("handledFrom") Instant handledFrom,
      @Param("lastFired") Instant lastFired,
      @Param("nextFire") Instant nextFire);
}
