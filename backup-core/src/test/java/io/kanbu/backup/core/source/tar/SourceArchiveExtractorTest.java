package io.kanbu.backup.core.source.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.PermanentBackupException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceArchiveExtractorTest {

  @TempDir Path tmp;

  private final SourceArchiveExtractor extractor = new SourceArchiveExtractor();

  @Test
  void anArchiveOfATree_extractsWithModesTimesAndInsideLinks() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.createDirectories(tree.resolve("src"));
    Path script = Files.writeString(tree.resolve("src/run.sh"), "echo hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    FileTime time = FileTime.from(Instant.parse("2021-05-06T07:08:09Z"));
    Files.setLastModifiedTime(script, time);
    Files.writeString(tree.resolve("Ünïcödé.md"), "u\n");
    Files.createSymbolicLink(tree.resolve("link"), Path.of("src/run.sh"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new SourceTreeArchiver().write(tree, IgnoreRules.none(), tar);
    Path out = Files.createDirectories(tmp.resolve("out"));

    SourceArchiveExtractor.Extracted extracted =
        extractor.extract(new ByteArrayInputStream(tar.toByteArray()), out);

    assertThat(extracted).isEqualTo(new SourceArchiveExtractor.Extracted(2, 1, 1, List.of()));
    assertThat(out.resolve("src/run.sh")).hasContent("echo hi");
    assertThat(Files.getPosixFilePermissions(out.resolve("src/run.sh")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Files.getLastModifiedTime(out.resolve("src/run.sh"))).isEqualTo(time);
    assertThat(out.resolve("Ünïcödé.md")).hasContent("u");
    assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("src/run.sh"));
  }

  @Test
  void dotDotEntries_areRefused_andNothingIsWrittenOutside() throws Exception {
    byte[] tar = archive(file("../escaped.txt"));

    assertRefused(tar, "../escaped.txt", "climbs out");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void absoluteNames_areRefused() throws Exception {
    TarArchiveEntry abs = new TarArchiveEntry("/tmp/abs.txt", true); // keep the leading slash
    abs.setSize(1);

    assertRefused(archive(abs), "/tmp/abs.txt", "absolute");
  }

  @Test
  void linksPointingOutside_areSkippedWithAWarningNamingThem_andTheRestIsExtracted()
      throws Exception {
    byte[] tar =
        archive(
            file("before.txt"),
            link("etc", "/etc"),
            link("a/up", "../../x"),
            link("a/in", "../before.txt"),
            file("a/after.txt"));
    Path out = Files.createDirectories(tmp.resolve("out"));

    SourceArchiveExtractor.Extracted extracted =
        extractor.extract(new ByteArrayInputStream(tar), out);

    assertThat(extracted.warnings())
        .containsExactly(
            "etc: symbolic link to '/etc' points outside the restore directory; not restored",
            "a/up: symbolic link to '../../x' points outside the restore directory; not restored");
    assertThat(extracted.files()).isEqualTo(2);
    assertThat(extracted.symlinks()).isEqualTo(1);
    assertThat(out.resolve("etc")).doesNotExist();
    assertThat(Files.exists(out.resolve("a/up"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readSymbolicLink(out.resolve("a/in"))).isEqualTo(Path.of("../before.txt"));
    assertThat(out.resolve("a/after.txt")).hasContent("x");
  }

  @Test
  void entriesBelowASkippedOutwardLink_refuseTheArchive() throws Exception {
    byte[] tar = archive(link("etc", "/etc"), file("etc/cron.d/evil"));

    assertRefused(tar, "etc/cron.d/evil", "below the symbolic link 'etc'");
  }

  @Test
  void hardLinks_refuseTheArchive_whereverTheyPoint() throws Exception {
    assertRefused(archive(hardLink("h", "/etc/passwd")), "h", "hard link");
    assertRefused(archive(file("a.txt"), hardLink("h", "a.txt")), "h", "hard link");
  }

  @Test
  void entriesBelowALink_areRefused_evenWhenTheLinkPointsInside() throws Exception {
    TarArchiveEntry dir = new TarArchiveEntry("real/");
    byte[] tar = archive(dir, link("alias", "real"), file("alias/x.txt"));

    assertRefused(tar, "alias/x.txt", "below the symbolic link 'alias'");
  }

  @Test
  void aDirectoryThatIsNotEmpty_isRefused() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("live"));
    Files.writeString(out.resolve("keep.txt"), "live data");

    assertThatThrownBy(
            () -> extractor.extract(new ByteArrayInputStream(archive(file("a.txt"))), out))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("not empty");
    assertThat(out.resolve("keep.txt")).hasContent("live data");
  }

  private void assertRefused(byte[] tar, String name, String why) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out-" + System.nanoTime()));
    assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(tar), out))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageContaining("'" + name + "' refused")
        .hasMessageContaining(why);
  }

  private static TarArchiveEntry file(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(1);
    return e;
  }

  private static TarArchiveEntry hardLink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry link(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return e;
  }

  /** A crafted archive: each file entry holds one byte. */
  private static byte[] archive(TarArchiveEntry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e : entries) {
        tar.putArchiveEntry(e);
        if (e.getSize() > 0) {
          tar.write('x');
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
