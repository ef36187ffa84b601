package io.kanbu.backup.model.schedule;

/**
 * What happens to firings that no scheduler handled when they were due (every replica was down).
 * Either way each of them is recorded and a {@code schedule.missed} event is published.
 */
public enum MisfirePolicy {
  /**
   * The missed firings are coalesced into one run, if the newest of them is within the grace
   * period; older than that, they are only recorded as missed.
   */
  RUN_ONCE,
  /** Missed firings never run; the next regular fire time runs as usual. */
  SKIP
}
