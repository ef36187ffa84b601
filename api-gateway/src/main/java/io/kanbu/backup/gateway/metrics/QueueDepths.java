package io.kanbu.backup.gateway.metrics;

import java.util.OptionalLong;

/** How many messages a broker queue holds; the broker side lives in the configuration. */
@FunctionalInterface
public interface QueueDepths {

  /** The queue's message count, or empty if the broker cannot say now. */
  OptionalLong messages(String queue);
}
