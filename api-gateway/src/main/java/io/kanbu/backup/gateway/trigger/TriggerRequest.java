package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.model.job.JobType;
import java.util.List;

/**
 * A validated trigger: what to run on which configured target.
 *
 * @param types the jobs to create: one, or several that form one recovery point ({@code "all"})
 * @param target the name of a configured target
 */
public record TriggerRequest(List<JobType> types, String target) {

  public TriggerRequest {
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a trigger creates at least one job");
    }
    types = List.copyOf(types);
  }

  /** A trigger of one job. */
  public TriggerRequest(JobType type, String target) {
    this(List.of(type), target);
  }

  /** Whether the jobs are recorded together as one recovery point. */
  public boolean recoveryPoint() {
    return types.size() > 1;
  }
}
