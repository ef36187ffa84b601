package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The retention policy of one target and kind, as stored: restic's {@code forget} rules (0 = off,
 * -1 = unlimited), {@code keepWithin} as an ISO-8601 duration, calendar buckets in {@code
 * timeZone}. Validated where it is set (the gateway), read by {@code PRUNE} jobs and previews.
 */
@Entity
@Table(name = "retention_policy")
public class RetentionPolicyRecord {

  /** The target and kind a policy belongs to. */
  @Embeddable
  public record Key(
      @Column(name = "target") String target,
      @Enumerated(EnumType.STRING) @Column(name = "kind") BackupKind kind)
      implements Serializable {

    public Key {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** The rule values of a policy. */
  public record Rules(
      int keepLast,
      int keepHourly,
      int keepDaily,
      int keepWeekly,
      int keepMonthly,
      int keepYearly,
      @Nullable String keepWithin,
      String timeZone) {

    public Rules {
      Objects.requireNonNull(timeZone, "timeZone");
    }
  }

  @EmbeddedId private Key key;

  @Column(name = "keep_last", nullable = false)
  private int keepLast;

  @Column(name = "keep_hourly", nullable = false)
  private int keepHourly;

  @Column(name = "keep_daily", nullable = false)
  private int keepDaily;

  @Column(name = "keep_weekly", nullable = false)
  private int keepWeekly;

  @Column(name = "keep_monthly", nullable = false)
  private int keepMonthly;

  @Column(name = "keep_yearly", nullable = false)
  private int keepYearly;

  @Column(name = "keep_within")
  private @Nullable String keepWithin;

  @Column(name = "time_zone", nullable = false)
  private String timeZone;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @Column(name = "updated_by")
  private @Nullable String updatedBy;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected RetentionPolicyRecord() {}

  public RetentionPolicyRecord(Key key, Rules rules, @Nullable String updatedBy, Instant now) {
    this.key = key;
    update(rules, updatedBy, now);
  }

  /** Replaces the rules. */
  public final void update(Rules rules, @Nullable String by, Instant now) {
    keepLast = rules.keepLast();
    keepHourly = rules.keepHourly();
    keepDaily = rules.keepDaily();
    keepWeekly = rules.keepWeekly();
    keepMonthly = rules.keepMonthly();
    keepYearly = rules.keepYearly();
    keepWithin = rules.keepWithin();
    timeZone = rules.timeZone();
    updatedAt = now;
    updatedBy = by;
  }

  public Key getKey() {
    return key;
  }

  public Rules rules() {
    return new Rules(
        keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, timeZone);
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public @Nullable String getUpdatedBy() {
    return updatedBy;
  }
}
