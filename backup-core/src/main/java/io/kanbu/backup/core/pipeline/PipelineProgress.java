package io.kanbu.backup.core.pipeline;

/**
 * Told, while a backup runs, how many bytes the pipeline has just read from its source (the raw
 * dump or tar, before compression), so that throughput can be watched live rather than only at the
 * end. Called on the thread that feeds the pipeline, once per write into it: implementations must
 * be cheap and must not throw.
 */
@FunctionalInterface
public interface PipelineProgress {

  /** Ignores progress. */
  PipelineProgress NONE = (kind, target, bytes) -> {};

  /**
   * @param kind {@code database} or {@code source}
   * @param target the target's name
   * @param bytes bytes read since the last call
   */
  void read(String kind, String target, long bytes);
}
