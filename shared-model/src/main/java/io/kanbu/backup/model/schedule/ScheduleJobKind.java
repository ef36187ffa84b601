package io.kanbu.backup.model.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule starts when it fires. The API names them in lowercase ({@link #apiName()}); the
 * catalog stores the constant's name.
 */
public enum ScheduleJobKind {
  /** A {@code BACKUP_DATABASE} job of the target. */
  DATABASE("database"),
  /** A {@code BACKUP_SOURCE} job of the target. */
  SOURCE("source"),
  /** A database and a source backup of the target, forming one recovery point. */
  ALL("all"),
  /** A {@code VERIFY} job of the target's newest available database and source backups. */
  VERIFY("verify"),
  /**
   * A restore drill (a {@code VERIFY} with {@code drill}) of the target's newest database backup.
   */
  RESTORE_DRILL("restore-drill"),
  /**
   * A {@code PRUNE} job applying the retention policies of the schedule's target (one per kind, set
   * with {@code PUT /api/v1/retention/policies/{target}/{kind}}).
   */
  PRUNE("prune");

  private final String apiName;

  ScheduleJobKind(String apiName) {
    this.apiName = apiName;
  }

  /** The name the API reads and writes. */
  public String apiName() {
    return apiName;
  }

  /**
   * The kind the API calls {@code name} (case-insensitive), if any; {@code both} is read as {@code
   * all}.
   */
  public static Optional<ScheduleJobKind> fromApiName(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    String canonical = lower.equals("both") ? ALL.apiName : lower;
    return Arrays.stream(values()).filter(k -> k.apiName.equals(canonical)).findFirst();
  }
}
