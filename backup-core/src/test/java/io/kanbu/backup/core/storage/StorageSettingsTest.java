package io.kanbu.backup.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.storage.gdrive.GoogleDriveStorageBackend;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageSettingsTest {

  @TempDir Path tmp;

  static GoogleDriveProperties drive(String credentials, String folder, String path) {
    return new GoogleDriveProperties(credentials, folder, "", null, "", path);
  }

  @Test
  void local_opensALocalBackend() {
    StorageSettings settings = new StorageSettings("LOCAL ", tmp, drive("", "", "").toSettings());

    assertThat(settings.open()).isInstanceOf(LocalStorageBackend.class);
    assertThat(settings.location()).isEqualTo(tmp.toString());
    assertThat(settings.usesDriveApi()).isFalse();
  }

  @Test
  void gdriveWithAPath_isTheOriginalsMountedFolder() {
    StorageSettings settings =
        new StorageSettings(
            "gdrive", tmp, drive("", "", tmp.resolve("drive").toString()).toSettings());

    assertThat(settings.open()).isInstanceOf(LocalStorageBackend.class);
    assertThat(settings.location()).endsWith("drive");
  }

  @Test
  void gdriveWithCredentials_usesTheDriveApi_withTheDefaultChunk() throws Exception {
    Path key = tmp.resolve("key.json");
    java.nio.file.Files.writeString(
        key,
        "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"s\","
            + "\"refresh_token\":\"r\"}");
    StorageSettings settings =
        new StorageSettings("gdrive", tmp, drive(key.toString(), "folder-1", "").toSettings());

    assertThat(settings.usesDriveApi()).isTrue();
    assertThat(settings.gdrive().chunkSize()).isEqualTo(8 * 1024 * 1024);
    assertThat(settings.location()).isEqualTo("Google Drive folder folder-1");
    assertThat(settings.open()).isInstanceOf(GoogleDriveStorageBackend.class);
  }

  @Test
  void badSettings_nameTheVariable() {
    assertThatThrownBy(() -> new StorageSettings("s3", tmp, drive("", "", "").toSettings()))
        .hasMessageContaining("BACKUP_STORAGE is 's3'");
    assertThatThrownBy(() -> new StorageSettings("gdrive", tmp, drive("", "", "").toSettings()))
        .hasMessageContaining("BACKUP_GDRIVE_CREDENTIALS")
        .hasMessageContaining("BACKUP_GDRIVE_PATH");
    assertThatThrownBy(
            () -> new StorageSettings("gdrive", tmp, drive("/k.json", "", "").toSettings()))
        .hasMessageContaining("BACKUP_GDRIVE_FOLDER_ID");
    assertThatThrownBy(
            () -> new StorageSettings("local", Path.of("relative"), drive("", "", "").toSettings()))
        .hasMessageContaining("BACKUP_LOCAL_PATH");
    Path missing = tmp.resolve("missing.json");
    StorageSettings unreadable =
        new StorageSettings("gdrive", tmp, drive(missing.toString(), "f", "").toSettings());
    assertThatThrownBy(unreadable::open)
        .hasMessageContaining("BACKUP_GDRIVE_CREDENTIALS")
        .hasMessageContaining("missing.json");
  }
}
