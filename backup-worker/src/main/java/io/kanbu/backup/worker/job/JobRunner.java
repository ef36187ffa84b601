package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.job.JobType;

/** Runs the claimed jobs of one type. */
public interface JobRunner {

  /** The type this runner runs. */
  JobType type();

  /**
   * Runs the job on the calling thread to its end (recorded in the catalog with its event); never
   * throws.
   */
  void run(ClaimedJob job);
}
