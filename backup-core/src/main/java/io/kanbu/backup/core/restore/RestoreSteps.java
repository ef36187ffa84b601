package io.kanbu.backup.core.restore;

/**
 * Told when {@link DatabaseRestore#apply} moves on to its next step, so a caller can show where a
 * long restore is. Called on the restoring thread; implementations must be cheap and must not
 * throw.
 */
@FunctionalInterface
public interface RestoreSteps {

  /** Ignores the steps. */
  RestoreSteps NONE = step -> {};

  /** The step the apply entered. */
  void entered(Step step);

  /** The steps of an apply, in order. */
  enum Step {
    /** The backup streams into psql. */
    APPLYING,
    /** The backup was read to its end: its digests and the tables' row counts are checked. */
    CHECKING,
    /** Everything is sent; psql commits the transaction. */
    COMMITTING,
    /** The restored database is analyzed. */
    ANALYZING
  }
}
