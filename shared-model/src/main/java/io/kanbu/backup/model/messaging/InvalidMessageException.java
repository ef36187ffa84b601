package io.kanbu.backup.model.messaging;

/**
 * A message that can never be processed: not JSON, an unknown type, a schema violation. It goes to
 * the dead-letter queue with {@link #getMessage()} as the reason, never back to the queue.
 */
public final class InvalidMessageException extends RuntimeException {

  public InvalidMessageException(String reason) {
    super(reason);
  }

  public InvalidMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
