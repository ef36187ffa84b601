package io.kanbu.backup.model.schedule;

/**
 * A cron expression or time zone that cannot be used; the message says what is wrong and what is
 * accepted, ready to show to whoever wrote it.
 */
public final class InvalidCronExpressionException extends IllegalArgumentException {

  public InvalidCronExpressionException(String message) {
    super(message);
  }
}
