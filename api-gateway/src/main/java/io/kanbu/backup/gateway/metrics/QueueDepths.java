package io.kanbu.backup.gateway.metrics;

import java.util.Optional;

/** What a broker queue holds and who consumes it; the broker side lives in the configuration. */
@FunctionalInterface
public interface QueueDepths {

  /**
   * A queue's state.
   *
   * @param messages messages waiting
   * @param consumers consumers attached (workers, for the jobs queue)
   */
  record QueueState(long messages, long consumers) {}

  /** The queue's state, or empty if the broker cannot say now. */
  Optional<QueueState> state(String queue);
}
