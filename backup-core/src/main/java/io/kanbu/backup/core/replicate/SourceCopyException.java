package io.kanbu.backup.core.replicate;

import io.kanbu.backup.core.PermanentBackupException;

/**
 * The copy a replication read from is not good (missing, or its bytes or manifest differ from the
 * catalog's); another copy may be. Nothing was written to the target.
 */
public final class SourceCopyException extends PermanentBackupException {

  private final boolean missing;

  SourceCopyException(String message, boolean missing, Throwable cause) {
    super(message, cause);
    this.missing = missing;
  }

  SourceCopyException(String message, boolean missing) {
    super(message);
    this.missing = missing;
  }

  /** True when the source had no such object; false when its content is wrong. */
  public boolean missing() {
    return missing;
  }
}
