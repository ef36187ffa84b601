package io.kanbu.backup.model.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The event outbox. */
public interface JobEventRecordRepository extends JpaRepository<JobEventRecord, UUID> {

  /** Events not yet confirmed by the broker, created before {@code before}, locked for a relay. */
  @Query(
      value =
          """
          SELECT * FROM job_event
           WHERE published_at IS NULL AND created_at < :before
           ORDER BY created_at
           LIMIT :limit
           FOR UPDATE SKIP LOCKED
          """,
      nativeQuery = true)
  List<JobEventRecord> lockUnpublished(@Param("before") Instant before, @Param("limit") int limit);

  List<JobEventRecord> findByJobId(UUID jobId);
}
