package io.kanbu.backup.model.schedule;

import java.util.Locale;

/**
 * {@code BACKUP_SCHEDULER_MODE}: who starts backups. The scheduler fires schedules only in {@code
 * internal} and {@code both}; the gateway accepts the external trigger ({@code POST
 * /api/backup/trigger}) only in {@code external} and {@code both}.
 */
public enum SchedulerMode {
  /** Schedules fire; the external trigger is refused (403). */
  INTERNAL,
  /** Schedules do not fire; backups come from the external trigger (e.g. the host's cron). */
  EXTERNAL,
  /** Schedules fire and the external trigger works (the default). */
  BOTH;

  /** Whether the scheduler fires schedules in this mode. */
  public boolean firesSchedules() {
    return this != EXTERNAL;
  }

  /** Whether the gateway accepts the external trigger in this mode. */
  public boolean acceptsExternalTrigger() {
    return this != INTERNAL;
  }

  /** The value as configured, lowercase. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the configured value.
   *
   * @throws IllegalArgumentException naming {@code BACKUP_SCHEDULER_MODE} and the allowed values
   */
  public static SchedulerMode parse(String value) {
    String normalized = value.strip().toUpperCase(Locale.ROOT);
    for (SchedulerMode mode : values()) {
      if (mode.name().equals(normalized)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "BACKUP_SCHEDULER_MODE is '" + value + "'; set it to internal, external or both");
  }
}
