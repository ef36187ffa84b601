package io.kanbu.backup.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.restore.CopyRowCounter.Table;
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
