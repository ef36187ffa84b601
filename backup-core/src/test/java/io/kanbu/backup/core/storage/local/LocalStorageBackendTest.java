package io.kanbu.backup.core.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageBackendContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageBackendTest extends StorageBackendContractTest {

  @TempDir Path dir;

  @Override
  protected StorageBackend createEmptyBackend() {
    return new LocalStorageBackend(dir.resolve("backups"));
  }

  private long filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void put_storesTheObjectAtItsKeyPath_andLeavesNoTemporaryFile() throws IOException {
    backend.put("default/database/x.sql.gz", out -> out.write(new byte[] {1, 2, 3}));

    Path file = dir.resolve("backups/default/database/x.sql.gz");
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(filesUnder(dir.resolve("backups"))).isEqualTo(1);
  }

  @Test
  void whileWriting_theObjectIsInvisible_andAfterAFailureNoTemporaryFileRemains()
      throws IOException {
    AtomicBoolean invisibleWhileWriting = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                backend.put(
                    "t/partial",
                    out -> {
                      out.write(new byte[1000]);
                      out.flush();
                      invisibleWhileWriting.set(
                          backend.stat("t/partial").isEmpty() && backend.list("").isEmpty());
                      throw new IOException("disk on fire");
                    }))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("'t/partial'");

    assertThat(invisibleWhileWriting).isTrue();
    assertThat(filesUnder(dir.resolve("backups"))).isZero();
  }

  @Test
  void replace_thatFails_leavesTheOldFileAndNoTemporaryFile() throws IOException {
    backend.put("t/object", out -> out.write(new byte[] {1, 2, 3}));

    assertThatThrownBy(
            () ->
                backend.replace(
                    "t/object",
                    out -> {
                      out.write(new byte[1000]);
                      throw new IOException("disk on fire");
                    }))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("'t/object'");

    assertThat(Files.readAllBytes(dir.resolve("backups/t/object"))).containsExactly(1, 2, 3);
    assertThat(filesUnder(dir.resolve("backups"))).isEqualTo(1);
  }

  @Test
  void unwritableRoot_failsWithAMessageNamingThePathAndTheSetting() throws IOException {
    // tests run as root, so permissions do not stop writes; a regular file in the way does
    Path notADirectory = Files.writeString(dir.resolve("occupied"), "x");
    LocalStorageBackend blocked = new LocalStorageBackend(notADirectory.resolve("backups"));

    assertThatThrownBy(() -> blocked.put("default/database/x.sql.gz", out -> out.write(1)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(notADirectory.toString())
        .hasMessageContaining("BACKUP_LOCAL_PATH");
  }

  @Test
  void list_ofMissingRoot_isEmpty() {
    assertThat(new LocalStorageBackend(dir.resolve("absent")).list("")).isEmpty();
  }
}
