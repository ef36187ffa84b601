package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One step of the streaming pipeline: it wraps the stream of the next step and returns the stream
 * that the previous step writes into.
 *
 * <p>Closing the returned stream must finish the stage (flush trailers) and close {@code next}.
 * Transforming stages change the bytes (compress, encrypt); {@link ObservingStage}s pass them
 * through unchanged and yield a typed result.
 */
@FunctionalInterface
public interface PipelineStage {

  OutputStream wrap(OutputStream next) throws IOException;

  /**
   * A stage that passes bytes through untouched: the slot for an absent optional stage. Always the
   * same instance, so a pipeline can tell that a slot is empty.
   */
  static PipelineStage identity() {
    return Identity.INSTANCE;
  }

  /** Holds the one identity stage. */
  final class Identity {
    static final PipelineStage INSTANCE = next -> next;

    private Identity() {}
  }
}
