package io.kanbu.backup.core.restore;

import java.util.List;

/**
 * The restored tables' row counts differ from the manifest; the check runs inside the restore's
 * transaction, so the transaction was rolled back and the target is as it was. The message names
 * the tables.
 */
public class RowCountMismatchException extends RestoreFailedException {

  private static final long serialVersionUID = 1L;

  public RowCountMismatchException(String message, List<String> psqlErrorLines) {
    super(message, psqlErrorLines);
  }
}
