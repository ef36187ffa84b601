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
        .hasMessageContaining("BACKUP_STORAGE names 's3'");
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

  @Test
  void aList_opensEveryStorage_thePrimaryFirst_eachUnderItsName() {
    Path mounted = tmp.resolve("drive");
    var settings =
        StorageSettings.parseList(
            " local , GDRIVE", tmp, drive("", "", mounted.toString()).toSettings());

    StorageSet set = StorageSet.open(settings);

    assertThat(set.names()).containsExactly("local", "gdrive");
    assertThat(set.primary().name()).isEqualTo("local");
    assertThat(set.secondaries()).extracting(StorageBackend::name).containsExactly("gdrive");
    assertThat(((LocalStorageBackend) set.find("gdrive").orElseThrow()).root()).isEqualTo(mounted);
    assertThat(StorageSettings.parseList("gdrive,local", tmp, drive("", "", "/d").toSettings()))
        .extracting(StorageSettings::name)
        .containsExactly("gdrive", "local");
  }

  @Test
  void aSingleEntry_isTheStorageAsBefore() {
    assertThat(StorageSettings.parseList("local", tmp, drive("", "", "").toSettings()))
        .singleElement()
        .satisfies(s -> assertThat(s.open().name()).isEqualTo("local"));
  }

  @Test
  void badLists_sayWhichEntryIsWrong() {
    var gdrive = drive("", "", tmp.resolve("drive").toString()).toSettings();
    assertThatThrownBy(() -> StorageSettings.parseList("local,s3", tmp, gdrive))
        .hasMessageContaining("BACKUP_STORAGE names 's3'")
        .hasMessageContaining("'local,gdrive'");
    assertThatThrownBy(() -> StorageSettings.parseList("local,,gdrive", tmp, gdrive))
        .hasMessageContaining("empty entry at position 2")
        .hasMessageContaining("remove the extra comma");
    assertThatThrownBy(() -> StorageSettings.parseList("local,", tmp, gdrive))
        .hasMessageContaining("empty entry at position 2");
    assertThatThrownBy(() -> StorageSettings.parseList(" ", tmp, gdrive))
        .hasMessageContaining("BACKUP_STORAGE is empty");
    assertThatThrownBy(() -> StorageSettings.parseList("local,gdrive,Local", tmp, gdrive))
        .hasMessageContaining("lists 'local' twice");
    assertThatThrownBy(
            () ->
                StorageSettings.parseList(
                    "local,gdrive", tmp, drive("", "", tmp.toString()).toSettings()))
        .hasMessageContaining("BACKUP_GDRIVE_PATH and BACKUP_LOCAL_PATH are the same folder");
    assertThatThrownBy(
            () -> StorageSettings.parseList("local,gdrive", tmp, drive("", "", "").toSettings()))
        .hasMessageContaining("BACKUP_GDRIVE_CREDENTIALS");
  }

  @Test
  void aStorageSet_refusesTwoStoragesOfOneName() {
    assertThatThrownBy(
            () ->
                new StorageSet(
                    java.util.List.of(
                        new LocalStorageBackend(tmp), new LocalStorageBackend(tmp.resolve("b")))))
        .hasMessageContaining("unique");
  }
}
