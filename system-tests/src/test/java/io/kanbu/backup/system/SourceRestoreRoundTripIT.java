package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.testing.ExternalServices;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A source tree's promise, end to end: a {@code {"type":"source"}} trigger over HTTP becomes a
 * worker process's tar of {@code KANBU_SOURCE_PATH} in storage, and {@code POST
 * /api/v1/backups/{id}/restore-source} has a worker extract it into a new directory equal to the
 * original (contents, modes, modification times, the inner link), all but a link pointing outside
 * the tree, which the job names in its warnings.
 */
@ExtendWith(ExternalServices.class)
class SourceRestoreRoundTripIT {

  private static final String APP_DATABASE = "kanbu_st_source_restore_app";
  private static final FileTime MTIME = FileTime.from(Instant.parse("2024-02-29T12:34:56Z"));

  @TempDir static Path storage;
  @TempDir static Path work;
  private static Path tree;
  private static KanbuSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    tree = Files.createDirectories(work.resolve("app"));
    write("src/server/deep/nested/index.ts", "export const deep = true;\n", "rw-r--r--");
    write("src/server/Ünïcödé — 日本語.md", "unicode name\n", "rw-r-----");
    write("bin/start.sh", "#!/bin/sh\nexec node src/server/deep/nested/index.ts\n", "rwxr-xr-x");
    write("private/secret-free.txt", "nothing secret\n", "rw-------");
    Files.setPosixFilePermissions(
        tree.resolve("private"), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(tree.resolve("empty/dir"));
    Files.createSymbolicLink(tree.resolve("bin/index"), Path.of("../src/server/deep/nested"));
    Files.createSymbolicLink(tree.resolve("hosts-link"), Path.of("/etc/hosts"));

    ExternalServices.postgres().recreateDatabase(APP_DATABASE);
    system =
        new KanbuSystem("kanbu_st_source_restore", APP_DATABASE, storage)
            .withEnv("KANBU_SOURCE_PATH", tree.toString());
    system.startGateway();
    system.startWorker("worker-source-restore");
  }

  @AfterAll
  static void stopSystem() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void triggeredSourceBackup_restoresThroughTheApi_intoATreeEqualToTheOriginal() throws Exception {
    KanbuSystem.Response backup = system.trigger("{\"type\":\"source\"}", Duration.ofMinutes(5));
    assertThat(backup.status()).as(backup.raw()).isEqualTo(200);
    assertThat(backup.json().get("status").asString()).as(backup.raw()).isEqualTo("SUCCEEDED");
    String backupId = backup.json().get("backupId").asString();
    Path restored = work.resolve("restored/app");

    KanbuSystem.Response accepted =
        system.post(
            "/api/v1/backups/" + backupId + "/restore-source",
            "{\"directory\":\"" + restored + "\"}");
    assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
    String jobId = accepted.json().get("id").asString();
    JsonNode job =
        await("restore job " + jobId + " ends")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> system.job(jobId).json(),
                j -> !Arrays.asList("QUEUED", "RUNNING").contains(j.get("status").asString()));

    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("type").asString()).isEqualTo("RESTORE_SOURCE");
    assertThat(job.get("warnings").valueStream().map(JsonNode::asString))
        .containsExactly(
            "hosts-link: symbolic link to '/etc/hosts' points outside the restore directory;"
                + " not restored");
    Map<String, String> expected = describe(tree);
    expected.remove("hosts-link");
    assertThat(expected)
        .containsEntry("bin/start.sh", "file rwxr-xr-x " + MTIME + " " + content("bin/start.sh"))
        .containsEntry("bin/index", "link -> ../src/server/deep/nested")
        .containsEntry("private", "dir rwx------");
    assertThat(describe(restored)).isEqualTo(expected);
    try (Stream<Path> beside = Files.list(restored.getParent())) {
      assertThat(beside).as("nothing but the restored tree").containsExactly(restored);
    }
  }

  private static void write(String relative, String content, String mode) throws Exception {
    Path file = tree.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    Files.setLastModifiedTime(file, MTIME);
  }

  private static String content(String relative) throws Exception {
    return Integer.toHexString(Arrays.hashCode(Files.readAllBytes(tree.resolve(relative))));
  }

  /** Every entry below {@code root}: type, permissions, and mtime and content, or link target. */
  private static Map<String, String> describe(Path root) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
        String mode =
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String what;
        if (Files.isSymbolicLink(p)) {
          what = "link -> " + Files.readSymbolicLink(p);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          what = "dir " + mode;
        } else {
          what =
              "file "
                  + mode
                  + " "
                  + Files.getLastModifiedTime(p)
                  + " "
                  + Integer.toHexString(Arrays.hashCode(Files.readAllBytes(p)));
        }
        entries.put(root.relativize(p).toString(), what);
      }
    }
    return entries;
  }
}
