package io.kanbu.backup.worker.job;

import java.util.List;

/**
 * What a job that makes no backup did.
 *
 * @param summary one line for the operator, e.g. a rescan's counts
 * @param warnings each thing that needs the operator's attention, naming what and where
 */
public record JobSummary(String summary, List<String> warnings) {

  public JobSummary {
    warnings = List.copyOf(warnings);
  }
}
