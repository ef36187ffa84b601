package io.kanbu.backup.model.job;

import java.util.UUID;

/** A job was asked to move to a state its transition table does not allow. */
public final class IllegalJobTransitionException extends IllegalStateException {

  public IllegalJobTransitionException(UUID jobId, JobStatus from, JobStatus to) {
    super("job '" + jobId + "' cannot go from " + from + " to " + to);
  }
}
