package io.kanbu.backup.model.schedule;

/** Why a firing happened. */
public enum FiringTrigger {
  /** A scheduler found the schedule due. */
  CRON,
  /** Someone asked for a run now ({@code POST /api/v1/schedules/{id}/run}). */
  MANUAL
}
