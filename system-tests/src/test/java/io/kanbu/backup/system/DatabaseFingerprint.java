package io.kanbu.backup.system;

import io.kanbu.backup.testing.ExternalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything in a database that a backup must carry, reduced to comparable text: every user table's
 * rows (as an ordered digest), sequences, large objects, views and functions.
 */
final class DatabaseFingerprint {

  private DatabaseFingerprint() {}

  static Map<String, String> of(ExternalServices.PostgresEndpoint pg, String database)
      throws SQLException {
    Map<String, String> parts = new TreeMap<>();
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
               WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
               ORDER BY 1
              """)) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        parts.put(
            "table " + table,
            single(
                s,
                "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                    + " FROM "
                    + table
                    + " t"));
      }
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences
               ORDER BY 1
              """)) {
        while (rs.next()) {
          parts.put("sequence " + rs.getString(1), String.valueOf(rs.getLong(2)));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT oid::text, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid")) {
        while (rs.next()) {
          parts.put("large object " + rs.getString(1), rs.getString(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT format('%I.%I', schemaname, viewname), definition FROM pg_views
               WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
              """)) {
        while (rs.next()) {
          parts.put("view " + rs.getString(1), rs.getString(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT format('%I.%I', n.nspname, p.proname), pg_get_functiondef(p.oid)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
              """)) {
        while (rs.next()) {
          parts.put("function " + rs.getString(1), rs.getString(2));
        }
      }
    }
    return parts;
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
