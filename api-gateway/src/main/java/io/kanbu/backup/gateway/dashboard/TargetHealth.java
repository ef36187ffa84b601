package io.kanbu.backup.gateway.dashboard;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The Overview's line for one target: its newest available database backup and its newest backup
 * proven restorable by a drill, with their ages.
 *
 * @param lastFailure the error of its newest job if that job failed
 */
public record TargetHealth(
    String target,
    @Nullable Instant lastBackupAt,
    @Nullable Instant lastRestorableAt,
    @Nullable String lastFailure,
    Instant now) {

  /** A backup older than this counts as stale. */
  static final Duration STALE = Duration.ofHours(48);

  /** Whether something needs attention: no backup, a stale one, or a failed last job. */
  public boolean failing() {
    return lastBackupAt == null
        || Duration.between(lastBackupAt, now).compareTo(STALE) > 0
        || lastFailure != null;
  }

  public String lastBackupAge() {
    return Formats.INSTANCE.ago(lastBackupAt, now);
  }

  public String lastRestorableAge() {
    return Formats.INSTANCE.ago(lastRestorableAt, now);
  }
}
