package io.kanbu.backup.model.job;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a job and the only transitions allowed between them. The catalog has the same
 * states in a CHECK constraint.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
          // RUNNING -> RUNNING: a job whose lease expired is claimed again by another worker;
          // RUNNING -> QUEUED: the reaper re-queues a job whose worker died.
          RUNNING, EnumSet.of(RUNNING, QUEUED, SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          FAILED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class));

  public boolean canTransitionTo(JobStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }
}
