package io.kanbu.backup.gateway.access;

import org.jspecify.annotations.Nullable;

/** A request about users or tokens that cannot be done; the message says why and what to do. */
public abstract sealed class AccessException extends RuntimeException {

  private final @Nullable String field;

  AccessException(String message, @Nullable String field) {
    super(message);
    this.field = field;
  }

  /** The request field to blame, if one is. */
  public @Nullable String field() {
    return field;
  }

  /** A value is not acceptable (400). */
  public static final class Invalid extends AccessException {
    public Invalid(String field, String message) {
      super(message, field);
    }
  }

  /** No such user or token (404). */
  public static final class NotFound extends AccessException {
    public NotFound(String message) {
      super(message, null);
    }
  }

  /** The request clashes with what exists (409). */
  public static final class Conflict extends AccessException {
    public Conflict(String message) {
      super(message, null);
    }
  }
}
