package io.kanbu.backup.model.schedule;

/** What became of one firing of a schedule; recorded with it in {@code schedule_firing}. */
public enum FiringOutcome {
  /** Its job (or jobs, for a recovery point) were created and queued. */
  JOB_CREATED,
  /** Not run: a job of an earlier firing of the schedule is still queued or running. */
  SKIPPED_PREVIOUS_ACTIVE,
  /** Not run: there was nothing to do (a verification with no backup to verify). */
  SKIPPED_NOTHING_TO_DO,
  /** Missed while no scheduler ran, and run together with a later firing (named in the detail). */
  COALESCED,
  /** Missed while no scheduler ran, and not run. */
  MISSED
}
