package io.kanbu.backup.core.pipeline;

/**
 * A stage that passes bytes through unchanged and computes something about them.
 *
 * @param <R> the type of what it computes
 */
public interface ObservingStage<R> extends PipelineStage {

  /**
   * What the stage observed.
   *
   * @throws IllegalStateException if the stream it returned from {@link #wrap} is not closed yet
   */
  R result();
}
