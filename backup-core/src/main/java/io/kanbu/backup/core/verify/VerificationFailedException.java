package io.kanbu.backup.core.verify;

import io.kanbu.backup.core.PermanentBackupException;

/** A backup failed verification; {@link #check()} names the check that failed. */
public final class VerificationFailedException extends PermanentBackupException {

  private static final long serialVersionUID = 1L;

  private final VerificationCheck check;

  public VerificationFailedException(VerificationCheck check, String detail) {
    super(check.label() + " check failed: " + detail);
    this.check = check;
  }

  public VerificationFailedException(VerificationCheck check, String detail, Throwable cause) {
    super(check.label() + " check failed: " + detail, cause);
    this.check = check;
  }

  public VerificationCheck check() {
    return check;
  }
}
