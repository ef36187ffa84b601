package io.kanbu.backup.core.source;

import io.kanbu.backup.core.TransientBackupException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only repeatable-read transaction on the target that exported its snapshot ({@code
 * pg_export_snapshot()}). While it stays open, {@code pg_dump --snapshot=<id>} sees exactly the
 * data this transaction sees, so row counts taken here describe the dump. Close it after the dump.
 */
public final class DumpSnapshot implements AutoCloseable {

  // user tables that hold rows (partitions included, partitioned parents excluded: their rows are
  // the partitions'), as pg_dump would dump them
  private static final String TABLES =
      "SELECT n.nspname, c.relname, c.reltuples::bigint FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
          + " ORDER BY n.nspname, c.relname";

  private final Connection connection;
  private final String snapshotId;
  private final String targetName;

  private DumpSnapshot(Connection connection, String snapshotId, String targetName) {
    this.connection = connection;
    this.snapshotId = snapshotId;
    this.targetName = targetName;
  }

  /** Opens the transaction and exports its snapshot. */
  public static DumpSnapshot export(
      DatabaseConnection connection, String targetName, String urlSetting) {
    Connection c = PgDumpSource.openJdbc(connection, targetName, urlSetting);
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        return new DumpSnapshot(c, rs.getString(1), targetName);
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new TransientBackupException(
          "unable to export a snapshot of target '" + targetName + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Row counts without a snapshot, from the planner's statistics. */
  public static List<TableRowCount> estimates(
      DatabaseConnection connection, String targetName, String urlSetting) {
    try (Connection c = PgDumpSource.openJdbc(connection, targetName, urlSetting)) {
      return tables(c, false, targetName);
    } catch (SQLException e) {
      throw new TransientBackupException(
          "unable to read row estimates of target '" + targetName + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@code count(*)} of every user table, counted the way a backup's manifest counts them, in a
   * connection the caller holds (for example a restore checking what it restored).
   */
  public static List<TableRowCount> exactCounts(Connection connection) throws SQLException {
    return tables(connection, true, "");
  }

  /** The id to pass to {@code pg_dump --snapshot}. */
  public String id() {
    return snapshotId;
  }

  /** {@code count(*)} of every table, in the exported snapshot. */
  public List<TableRowCount> exactCounts() {
    try {
      return tables(connection, true, targetName);
    } catch (SQLException e) {
      throw new TransientBackupException(
          "unable to count the rows of target '" + targetName + "': " + e.getMessage(), e);
    }
  }

  private static List<TableRowCount> tables(Connection c, boolean exact, String targetName)
      throws SQLException {
    List<TableRowCount> result = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(TABLES)) {
      while (rs.next()) {
        result.add(new TableRowCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
      }
    }
    if (!exact) {
      return result;
    }
    List<TableRowCount> counted = new ArrayList<>(result.size());
    try (Statement s = c.createStatement()) {
      for (TableRowCount t : result) {
        try (ResultSet rs =
            s.executeQuery("SELECT count(*) FROM " + quote(t.schema()) + "." + quote(t.table()))) {
          rs.next();
          counted.add(new TableRowCount(t.schema(), t.table(), rs.getLong(1)));
        }
      }
    }
    return counted;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // closing ends the transaction as well
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
