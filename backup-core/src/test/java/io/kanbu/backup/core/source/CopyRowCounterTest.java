package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.source.CopyRowCounter.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CopyRowCounterTest {

  private static final String DUMP =
      """
      --
      -- PostgreSQL database dump
      --
      SET client_encoding = 'UTF8';
      CREATE TABLE public.item (id integer, note text);
      CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $$ SELECT 'COPY x FROM stdin;' $$;
      COPY public.item (id, note) FROM stdin;
      1\thello
      2\t\\N
      3\ta backslash \\\\. and an escaped newline \\n inside
      \\\\.
      \\.

      COPY "Odd ""Schema"".x"."Ünïcode table" (id) FROM stdin;
      7
      \\.

      COPY public.empty (id) FROM stdin;
      \\.

      COPY public.item (id, note) FROM stdin;
      4\tsecond block of the same table
      \\.

      SELECT pg_catalog.setval('public.seq', 3, true);
      """;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 64, 1 << 16})
  void countsTheRowsOfEveryCopyBlock_whateverTheReadSize(int readSize) throws IOException {
    byte[] dump = DUMP.getBytes(StandardCharsets.UTF_8);
    CopyRowCounter counter = new CopyRowCounter(new ByteArrayInputStream(dump));
    ByteArrayOutputStream passed = new ByteArrayOutputStream();
    byte[] buffer = new byte[readSize];
    int n;
    while ((n = counter.read(buffer, 0, readSize)) >= 0) {
      passed.write(buffer, 0, n);
    }

    assertThat(passed.toByteArray()).isEqualTo(dump);
    assertThat(counter.rowsByTable())
        .isEqualTo(
            Map.of(
                new Table("public", "item"), 5L,
                new Table("Odd \"Schema\".x", "Ünïcode table"), 1L,
                new Table("public", "empty"), 0L));
  }

  @Test
  void countsByteByByteAndThroughTransferTo() throws IOException {
    byte[] dump = DUMP.getBytes(StandardCharsets.UTF_8);
    CopyRowCounter single = new CopyRowCounter(new ByteArrayInputStream(dump));
    while (single.read() >= 0) {
      // every byte through read()
    }
    CopyRowCounter transferred = new CopyRowCounter(new ByteArrayInputStream(dump));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    transferred.transferTo(out);

    assertThat(out.toByteArray()).isEqualTo(dump);
    assertThat(single.rowsByTable()).isEqualTo(transferred.rowsByTable()).hasSize(3);
  }

  @Test
  void findsTheFirstNewline_likeAPlainLoop_atEveryOffsetAndLength() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 200; round++) {
      byte[] buffer = new byte[random.nextInt(40)];
      for (int i = 0; i < buffer.length; i++) {
        // newlines, bytes one bit away from one (0x0b, 0x8a, 0x0e), and high bytes
        byte[] palette = {'\n', 0x0b, (byte) 0x8a, 0x0e, 'x', (byte) 0xff, 0, (byte) 0x80};
        buffer[i] = random.nextInt(6) == 0 ? (byte) '\n' : palette[1 + random.nextInt(7)];
      }
      for (int from = 0; from <= buffer.length; from++) {
        for (int to = from; to <= buffer.length; to++) {
          int expected = -1;
          for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
              expected = i;
              break;
            }
          }
          assertThat(CopyRowCounter.indexOfNewline(buffer, from, to)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void longRowsWithHighBytes_areCountedOncePerLine_inTheDumpsOrder() throws IOException {
    StringBuilder dump = new StringBuilder("COPY public.wide (doc) FROM stdin;\n");
    for (int row = 0; row < 1000; row++) {
      dump.append("ÿ€é".repeat(row % 50)).append("\\n escaped\t").append(row).append('\n');
    }
    dump.append("\\.\nCOPY public.after (id) FROM stdin;\n1\n\\.\n");
    CopyRowCounter counter =
        new CopyRowCounter(
            new ByteArrayInputStream(dump.toString().getBytes(StandardCharsets.UTF_8)));
    counter.transferTo(OutputStream.nullOutputStream());

    assertThat(counter.tableRowCounts())
        .containsExactly(
            new TableRowCount("public", "wide", 1000), new TableRowCount("public", "after", 1));
  }

  @Test
  void anUnfinishedBlock_isNotCounted() throws IOException {
    InputStream truncated =
        new ByteArrayInputStream(
            "COPY public.t (a) FROM stdin;\n1\n2\n".getBytes(StandardCharsets.UTF_8));
    CopyRowCounter counter = new CopyRowCounter(truncated);
    counter.transferTo(OutputStream.nullOutputStream());

    assertThat(counter.rowsByTable()).isEmpty();
  }

  @Test
  void readsTheTableOfCopyFromStdinOnly() {
    assertThat(CopyRowCounter.copyTarget("COPY public.t (a, b) FROM stdin;"))
        .contains(new Table("public", "t"));
    assertThat(CopyRowCounter.copyTarget("COPY public.t  FROM stdin;"))
        .contains(new Table("public", "t"));
    assertThat(CopyRowCounter.copyTarget("COPY \"a.b\".\"c\"\"d\" (x) FROM stdin;"))
        .contains(new Table("a.b", "c\"d"));
    assertThat(CopyRowCounter.copyTarget("COPY t (a) FROM stdin;")).isEqualTo(Optional.empty());
    assertThat(CopyRowCounter.copyTarget("COPY public.t (a) TO stdout;")).isEmpty();
    assertThat(CopyRowCounter.copyTarget("COPY public.\"unterminated FROM stdin;")).isEmpty();
  }
}
