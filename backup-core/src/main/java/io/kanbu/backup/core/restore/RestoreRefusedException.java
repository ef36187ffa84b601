package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import java.util.List;

/**
 * A pre-flight check refused the restore; nothing touched the target. The message lists every
 * refusal, each saying what to do.
 */
public class RestoreRefusedException extends PermanentBackupException {

  private static final long serialVersionUID = 1L;

  private final List<String> refusals;

  public RestoreRefusedException(String database, List<String> refusals) {
    super(
        "restore into database '"
            + database
            + "' refused before anything changed: "
            + String.join("; ", refusals));
    this.refusals = List.copyOf(refusals);
  }

  /** Each refused check, in the order they were made. */
  public List<String> refusals() {
    return refusals;
  }
}
