package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The apply failed and its transaction was rolled back: psql reported an error (its last error
 * lines are in the message and in {@link #psqlErrorLines()}), the stored backup did not read
 * intact, or the restored row counts differ from the manifest. The target is as it was.
 */
public class RestoreFailedException extends PermanentBackupException {

  private static final long serialVersionUID = 1L;

  private final List<String> psqlErrorLines;

  public RestoreFailedException(String message, List<String> psqlErrorLines) {
    super(message);
    this.psqlErrorLines = List.copyOf(psqlErrorLines);
  }

  public RestoreFailedException(String message, @Nullable Throwable cause) {
    super(message, cause);
    this.psqlErrorLines = List.of();
  }

  /** The last lines psql wrote to its standard error; empty when psql did not fail. */
  public List<String> psqlErrorLines() {
    return psqlErrorLines;
  }
}
