package io.kanbu.backup.gateway.audit;

/** How an audited action ended. */
public enum AuditOutcome {
  /** It was done. */
  SUCCESS,
  /** The caller was not allowed (401, 403, a locked login). */
  DENIED,
  /** It was allowed but did not work (bad input, conflict, server error, wrong password). */
  FAILED;

  /** The outcome an HTTP status stands for. */
  public static AuditOutcome ofStatus(int status) {
    if (status == 401 || status == 403) {
      return DENIED;
    }
    return status < 400 ? SUCCESS : FAILED;
  }
}
