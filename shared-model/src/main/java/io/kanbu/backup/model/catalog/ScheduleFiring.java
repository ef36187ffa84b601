package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.FiringTrigger;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One firing of a schedule and what became of it. Written once, by whoever claimed it with {@link
 * ScheduleFiringRepository#claim} (the unique key on schedule and fire time picks one claimer);
 * jobs it created point back at it ({@code backup_job.schedule_firing_id}).
 */
@Entity
@Table(name = "schedule_firing")
public class ScheduleFiring {

  /** Longest detail kept. */
  public static final int MAX_DETAIL_LENGTH = 1000;

  @Id private UUID id;

  @Column(name = "schedule_id", nullable = false)
  private UUID scheduleId;

  @Column(name = "fire_time", nullable = false)
  private Instant fireTime;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private FiringTrigger trigger;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private FiringOutcome outcome;

  private @Nullable String detail;

  @Column(name = "claimed_by", nullable = false)
  private String claimedBy;

  @Column(name = "claimed_at", nullable = false)
  private Instant claimedAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected ScheduleFiring() {}

  public UUID getId() {
    return id;
  }

  public UUID getScheduleId() {
    return scheduleId;
  }

  public Instant getFireTime() {
    return fireTime;
  }

  public FiringTrigger getTrigger() {
    return trigger;
  }

  public FiringOutcome getOutcome() {
    return outcome;
  }

  public @Nullable String getDetail() {
    return detail;
  }

  public String getClaimedBy() {
    return claimedBy;
  }

  public Instant getClaimedAt() {
    return claimedAt;
  }

  /** A detail bounded to the column. */
  public static String boundedDetail(String detail) {
    return detail.length() <= MAX_DETAIL_LENGTH
        ? detail
        : detail.substring(0, MAX_DETAIL_LENGTH - 1) + "…";
  }
}
