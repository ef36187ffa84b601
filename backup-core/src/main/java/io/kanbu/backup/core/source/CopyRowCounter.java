package io.kanbu.backup.core.source;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the rows of every {@code COPY … FROM stdin;} block of a plain-format pg_dump as the SQL
 * streams past: a backup counts what its dump holds for the manifest without reading every table a
 * second time, and a restore compares what it sends to psql with the manifest without scanning the
 * restored tables again. In COPY's text format every row is one line (newlines inside values are
 * escaped) and {@code \.} ends the block; psql with {@code ON_ERROR_STOP} either loads every line
 * or fails, so a block's line count is the number of rows the restore put into its table, and the
 * number of rows pg_dump wrote of it.
 *
 * <p>The scan is a single pass over the bytes with a few states; only lines that start with {@code
 * COPY } outside a data block are kept, to read the table's name.
 */
public final class CopyRowCounter extends FilterInputStream {

  /** A table named by a COPY statement, as pg_dump writes it (schema-qualified). */
  public record Table(String schema, String table) {}

  private static final byte[] COPY = "COPY ".getBytes(StandardCharsets.US_ASCII);
  private static final String FROM_STDIN = " FROM stdin;";
  private static final int LONGEST_COPY_LINE = 1 << 20;
  private static final int BUFFER = 1 << 16;
  // eight bytes at a time for the newline search (the scan runs on every byte of a dump)
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long LOW_SEVEN_BITS = 0x7f7f7f7f7f7f7f7fL;

  /** Where the scan is within the current line. */
  private enum State {
    /** SQL: reading the first bytes of a line to see whether it starts with {@code COPY }. */
    SQL_LINE_START,
    /** SQL: inside a line that is a COPY statement; its bytes are kept. */
    SQL_COPY_LINE,
    /** SQL: inside any other line. */
    SQL_OTHER_LINE,
    /** Data: at the start of a row, or after a leading backslash (see {@link #markerBytes}). */
    DATA_LINE_START,
    /** Data: inside a row. */
    DATA_ROW
  }

  private final Map<Table, Long> rows = new LinkedHashMap<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private State state = State.SQL_LINE_START;
  private int lineLength;
  private int markerBytes;
  private Table copying;
  private long copied;

  public CopyRowCounter(InputStream sql) {
    super(sql);
  }

  /** The rows of each table whose COPY block ended so far. */
  public Map<Table, Long> rowsByTable() {
    return Map.copyOf(rows);
  }

  /** The rows of each table whose COPY block ended so far, in the dump's order. */
  public List<TableRowCount> tableRowCounts() {
    List<TableRowCount> counts = new ArrayList<>(rows.size());
    rows.forEach((t, n) -> counts.add(new TableRowCount(t.schema(), t.table(), n)));
    return counts;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      scan((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = offset; i < offset + n; i++) {
      if (state == State.DATA_ROW || state == State.SQL_OTHER_LINE) {
        // the fast path, almost every byte of a dump: skip to the end of the line
        int end = indexOfNewline(buffer, i, offset + n);
        if (end < 0) {
          break;
        }
        i = end;
      }
      scan(buffer[i]);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes must be scanned too
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), BUFFER)];
    int read = scratch.length == 0 ? 0 : read(scratch, 0, scratch.length);
    return Math.max(read, 0);
  }

  /** Copies through {@link #read(byte[], int, int)}, so every byte is scanned. */
  @Override
  public long transferTo(OutputStream out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = read(buffer, 0, buffer.length)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * The index of the first {@code '\n'} in {@code buffer[from, to)}, or -1: eight bytes per step, a
   * byte equal to the newline found without branches (a zero byte of {@code word ^ NEWLINES}).
   */
  static int indexOfNewline(byte[] buffer, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(buffer, i) ^ NEWLINES;
      // the high bit of each byte that was zero, exactly (no borrow between bytes)
      long zeros = ~(((x & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | x | LOW_SEVEN_BITS);
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void scan(byte b) {
    switch (state) {
      case SQL_LINE_START -> sqlLineStart(b);
      case SQL_COPY_LINE -> copyLine(b);
      case SQL_OTHER_LINE -> {
        if (b == '\n') {
          startSqlLine();
        }
      }
      case DATA_LINE_START -> dataLineStart(b);
      case DATA_ROW -> {
        if (b == '\n') {
          copied++;
          startDataLine();
        }
      }
    }
  }

  private void sqlLineStart(byte b) {
    if (b == '\n') {
      startSqlLine();
    } else if (b == COPY[lineLength]) {
      line.write(b);
      lineLength++;
      if (lineLength == COPY.length) {
        state = State.SQL_COPY_LINE;
      }
    } else {
      state = State.SQL_OTHER_LINE;
    }
  }

  private void copyLine(byte b) {
    if (b != '\n') {
      if (lineLength++ < LONGEST_COPY_LINE) {
        line.write(b);
      }
      return;
    }
    Optional<Table> table =
        lineLength <= LONGEST_COPY_LINE
            ? copyTarget(line.toString(StandardCharsets.UTF_8))
            : Optional.empty();
    if (table.isPresent()) {
      copying = table.get();
      copied = 0;
      startDataLine();
    } else {
      startSqlLine();
    }
  }

  /** A row starts; {@code \.} alone on its line (optionally with CR) ends the block. */
  private void dataLineStart(byte b) {
    if (markerBytes == 0 && b == '\\') {
      markerBytes = 1;
    } else if (markerBytes == 1 && b == '.') {
      markerBytes = 2;
    } else if (markerBytes == 2 && b == '\r') {
      markerBytes = 3;
    } else if (b == '\n') {
      if (markerBytes >= 2) {
        rows.merge(copying, copied, Long::sum);
        copying = null;
        startSqlLine();
      } else {
        copied++;
        startDataLine();
      }
    } else {
      state = State.DATA_ROW;
    }
  }

  private void startSqlLine() {
    state = State.SQL_LINE_START;
    line.reset();
    lineLength = 0;
  }

  private void startDataLine() {
    state = State.DATA_LINE_START;
    markerBytes = 0;
  }

  /**
   * The table of a {@code COPY <schema>.<table> (<columns>) FROM stdin;} line, or empty for any
   * other COPY (to a file, from a query) or a name this parser does not follow.
   */
  static Optional<Table> copyTarget(String statement) {
    if (!statement.startsWith("COPY ") || !statement.endsWith(FROM_STDIN)) {
      return Optional.empty();
    }
    Identifiers names = new Identifiers(statement, COPY.length);
    Optional<String> first = names.next();
    if (first.isEmpty() || !names.skip('.')) {
      return Optional.empty();
    }
    return names.next().map(second -> new Table(first.get(), second));
  }

  /** Reads SQL identifiers as pg_dump writes them: bare (lower case) or double-quoted. */
  private static final class Identifiers {
    private final String text;
    private int at;

    Identifiers(String text, int at) {
      this.text = text;
      this.at = at;
    }

    boolean skip(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    Optional<String> next() {
      if (at >= text.length()) {
        return Optional.empty();
      }
      return text.charAt(at) == '"' ? quoted() : bare();
    }

    private Optional<String> quoted() {
      StringBuilder name = new StringBuilder();
      int i = at + 1;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            name.append('"');
            i += 2;
            continue;
          }
          at = i + 1;
          return Optional.of(name.toString());
        }
        name.append(c);
        i++;
      }
      return Optional.empty();
    }

    private Optional<String> bare() {
      int start = at;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '.' || c == ' ' || c == '(') {
          break;
        }
        at++;
      }
      return at > start ? Optional.of(text.substring(start, at)) : Optional.empty();
    }
  }
}
