package io.kanbu.backup.core.source;

import io.kanbu.backup.core.TransientBackupException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row counts of a database's user tables read through SQL: the planner's estimates for a backup's
 * manifest in {@code estimate} mode, and {@code count(*)} of every table for a restore checking
 * what it restored. (A backup in {@code exact} mode counts from its dump stream instead: {@link
 * CopyRowCounter}.)
 */
public final class TableRowCounts {

  // user tables that hold rows (partitions included, partitioned parents excluded: their rows are
  // the partitions'), as pg_dump would dump them
  private static final String TABLES =
      "SELECT n.nspname, c.relname, c.reltuples::bigint FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
          + " ORDER BY n.nspname, c.relname";

  private TableRowCounts() {}

  /** Row counts from the planner's statistics ({@code pg_class.reltuples}). */
  public static List<TableRowCount> estimates(
      DatabaseConnection connection, String targetName, String urlSetting) {
    try (Connection c = PgDumpSource.openJdbc(connection, targetName, urlSetting)) {
      return tables(c, false);
    } catch (SQLException e) {
      throw new TransientBackupException(
          "unable to read row estimates of target '" + targetName + "': " + e.getMessage(), e);
    }
  }

  /**
   * {@code count(*)} of every user table that a dump holds rows of (so the numbers a backup's
   * {@code exact} manifest holds), in a connection the caller holds (for example a restore checking
   * what it restored).
   */
  public static List<TableRowCount> exactCounts(Connection connection) throws SQLException {
    return tables(connection, true);
  }

  private static List<TableRowCount> tables(Connection c, boolean exact) throws SQLException {
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
}
