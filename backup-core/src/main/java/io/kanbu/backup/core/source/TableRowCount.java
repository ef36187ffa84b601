package io.kanbu.backup.core.source;

/** The row count of one table; -1 for an estimate of a table that was never analyzed. */
public record TableRowCount(String schema, String table, long rows) {}
