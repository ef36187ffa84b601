package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.PermanentBackupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgToolLocatorTest {

  @TempDir Path dir;

  /** A fake pg_dump that prints {@code versionLine} for --version. */
  static Path fakeTool(Path binDir, String name, String versionLine) throws IOException {
    Files.createDirectories(binDir);
    Path tool = binDir.resolve(name);
    Files.writeString(
        tool,
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo '"
            + versionLine
            + "'; exit 0; fi\nexit 3\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tool;
  }

  @Test
  void prefersExactlyTheServersMajor() throws IOException {
    fakeTool(dir.resolve("13"), "pg_dump", "pg_dump (PostgreSQL) 13.9");
    fakeTool(dir.resolve("15"), "pg_dump", "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)");
    fakeTool(dir.resolve("16"), "pg_dump", "pg_dump (PostgreSQL) 16.4");
    PgToolLocator locator =
        new PgToolLocator(List.of(dir.resolve("16"), dir.resolve("13"), dir.resolve("15")));

    PgTool tool = locator.locate("pg_dump", new PgVersion(150003));

    assertThat(tool.path()).isEqualTo(dir.resolve("15/pg_dump"));
    assertThat(tool.version().display()).isEqualTo("15.20");
  }

  @Test
  void withoutTheExactMajor_takesTheSmallestNewerOne() throws IOException {
    fakeTool(dir.resolve("17"), "pg_dump", "pg_dump (PostgreSQL) 17.2");
    fakeTool(dir.resolve("16"), "pg_dump", "pg_dump (PostgreSQL) 16.4");
    fakeTool(dir.resolve("12"), "pg_dump", "pg_dump (PostgreSQL) 12.1");
    PgToolLocator locator =
        new PgToolLocator(List.of(dir.resolve("17"), dir.resolve("16"), dir.resolve("12")));

    assertThat(locator.locate("pg_dump", new PgVersion(140005)).version().major()).isEqualTo(16);
  }

  @Test
  void onlyOlderTools_failPermanently_namingWhatWasFoundAndThePackage() throws IOException {
    fakeTool(dir.resolve("14"), "pg_dump", "pg_dump (PostgreSQL) 14.11");
    PgToolLocator locator = new PgToolLocator(List.of(dir.resolve("14")));

    assertThatThrownBy(() -> locator.locate("pg_dump", new PgVersion(150020)))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("server version '15.20'")
        .hasMessageContaining("14.11")
        .hasMessageContaining(dir.resolve("14/pg_dump").toString())
        .hasMessageContaining("install postgresql-client-15");
  }

  @Test
  void preTenNumbering_countsAsOlderThanTen() throws IOException {
    fakeTool(dir.resolve("9.6"), "pg_dump", "pg_dump (PostgreSQL) 9.6.24");
    PgToolLocator locator = new PgToolLocator(List.of(dir.resolve("9.6")));

    assertThatThrownBy(() -> locator.locate("pg_dump", new PgVersion(150020)))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("9.6.24");
    assertThat(locator.locate("pg_dump", new PgVersion(90605)).version().display())
        .isEqualTo("9.6.24");
  }

  @Test
  void noToolAtAll_failsNamingTheSearchedDirectories() {
    PgToolLocator locator = new PgToolLocator(List.of(dir.resolve("empty")));

    assertThatThrownBy(() -> locator.locate("pg_dump", new PgVersion(150020)))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("none found in")
        .hasMessageContaining(dir.resolve("empty").toString())
        .hasMessageContaining("postgresql-client-15");
  }

  @Test
  void programsThatAreNotPgDump_andNonExecutables_areIgnored() throws IOException {
    fakeTool(dir.resolve("a"), "pg_dump", "something else 99.0");
    Path notExecutable = fakeTool(dir.resolve("b"), "pg_dump", "pg_dump (PostgreSQL) 15.1");
    Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
    fakeTool(dir.resolve("c"), "pg_dump", "pg_dump (PostgreSQL) 15.2");
    PgToolLocator locator =
        new PgToolLocator(List.of(dir.resolve("a"), dir.resolve("b"), dir.resolve("c")));

    assertThat(locator.findAll("pg_dump"))
        .extracting(PgTool::path)
        .containsExactly(dir.resolve("c/pg_dump"));
  }

  @Test
  void versionOutput_isParsedForOldAndNewNumbering() {
    assertThat(PgVersion.parseToolOutput("pg_dump (PostgreSQL) 9.6.24").major()).isEqualTo(906);
    assertThat(PgVersion.parseToolOutput("pg_dump (PostgreSQL) 16beta1").display())
        .isEqualTo("16.0");
    assertThat(PgVersion.parseToolOutput("psql (PostgreSQL) 15.20").major()).isEqualTo(15);
    assertThat(PgVersion.parseToolOutput("nonsense")).isNull();
  }

  @Test
  void defaultSearchDirs_includeEveryPathEntry() {
    assertThat(PgToolLocator.defaultSearchDirs("/x/bin:/y/bin"))
        .contains(Path.of("/x/bin"), Path.of("/y/bin"));
  }
}
