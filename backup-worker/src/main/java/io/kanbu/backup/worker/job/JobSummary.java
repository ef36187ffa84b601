package io.kanbu.backup.worker.job;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a job that makes no backup did.
 *
 * @param summary one line for the operator, e.g. a rescan's counts
 * @param warnings each thing that needs the operator's attention, naming what and where
 * @param failure null if the job succeeded (perhaps with warnings); else why it failed as a whole,
 *     e.g. a rekey none of whose backups could be rekeyed
 */
public record JobSummary(String summary, List<String> warnings, @Nullable String failure) {

  public JobSummary {
    warnings = List.copyOf(warnings);
  }

  /** A job that succeeded. */
  public JobSummary(String summary, List<String> warnings) {
    this(summary, warnings, null);
  }
}
