package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.PermanentBackupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images install their PostgreSQL clients where {@link PgToolLocator} looks for them: the
 * worker and gateway Dockerfiles run {@code deploy/docker/install-pg-clients.sh} with majors 13 to
 * 17, the script puts each in {@code /usr/lib/postgresql/<major>/bin}, and over that layout the
 * locator's default search picks for every server the client of its own major.
 */
class ImageToolLayoutTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPOSITORY.resolve("deploy/docker/install-pg-clients.sh");
  private static final Pattern INSTALL_LINE =
      Pattern.compile("(?m)^RUN /usr/local/sbin/install-pg-clients\\.sh ((?:\\d+ ?)+)$");
  private static final List<Integer> SUPPORTED_MAJORS = List.of(13, 14, 15, 16, 17);

  @TempDir Path image;

  @Test
  void workerAndGatewayImages_installClients13To17_throughTheSharedScript() throws IOException {
    assertThat(installedMajors("backup-worker/Dockerfile")).isEqualTo(SUPPORTED_MAJORS);
    assertThat(installedMajors("api-gateway/Dockerfile")).isEqualTo(SUPPORTED_MAJORS);
  }

  @Test
  void theScript_installsAndChecksEachMajorWhereTheLocatorSearches() throws IOException {
    String script = Files.readString(SCRIPT);

    assertThat(PgToolLocator.DEBIAN_ROOT).isEqualTo(Path.of("/usr/lib/postgresql"));
    assertThat(script)
        .contains("packages=\"$packages postgresql-client-$major\"")
        .contains("\"" + PgToolLocator.DEBIAN_ROOT + "/$major/bin/$tool\" --version")
        .contains("for tool in pg_dump psql");
    assertThat(Files.isExecutable(SCRIPT)).as("%s is executable", SCRIPT).isTrue();
  }

  @Test
  void overTheImagesLayout_everyServerGetsTheClientOfItsOwnMajor() throws IOException {
    Path root = image.resolve("usr/lib/postgresql");
    for (int major : installedMajors("backup-worker/Dockerfile")) {
      Path bin = root.resolve(Integer.toString(major)).resolve("bin");
      String debianVersion = major + ".4 (Debian " + major + ".4-1.pgdg120+1)";
      PgToolLocatorTest.fakeTool(bin, "pg_dump", "pg_dump (PostgreSQL) " + debianVersion);
      PgToolLocatorTest.fakeTool(bin, "psql", "psql (PostgreSQL) " + debianVersion);
    }
    // the image's PATH holds no PostgreSQL programs (this machine's /usr/bin may: not searched)
    Files.createDirectories(image.resolve("usr/bin"));
    PgToolLocator locator =
        new PgToolLocator(
            PgToolLocator.defaultSearchDirs(root, image.resolve("usr/bin").toString()));

    for (int major : SUPPORTED_MAJORS) {
      PgVersion server = new PgVersion(major * 10_000 + 7);
      assertThat(locator.locate("pg_dump", server).path())
          .isEqualTo(root.resolve(major + "/bin/pg_dump"));
      assertThat(locator.locate("psql", server).version().major()).isEqualTo(major);
    }
    // an older server is dumped by the oldest client that is newer; a newer one is refused
    assertThat(locator.locate("pg_dump", new PgVersion(120_015)).version().major()).isEqualTo(13);
    assertThatThrownBy(() -> locator.locate("pg_dump", new PgVersion(180_001)))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("install postgresql-client-18");
  }

  private static List<Integer> installedMajors(String dockerfile) throws IOException {
    String text = Files.readString(REPOSITORY.resolve(dockerfile));
    Matcher install = INSTALL_LINE.matcher(text);
    assertThat(install.find()).as("%s runs install-pg-clients.sh", dockerfile).isTrue();
    assertThat(text)
        .as("%s copies the script it runs", dockerfile)
        .contains("COPY deploy/docker/install-pg-clients.sh /usr/local/sbin/install-pg-clients.sh");
    return Arrays.stream(install.group(1).trim().split(" ")).map(Integer::valueOf).toList();
  }
}
