package io.kanbu.backup.core.storage;

import io.kanbu.backup.core.storage.gdrive.DriveClients;
import io.kanbu.backup.core.storage.gdrive.GoogleDriveStorageBackend;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which storage the apps use, from their configuration: {@code BACKUP_STORAGE} = {@code local}
 * ({@code BACKUP_LOCAL_PATH}) or {@code gdrive} — through the Drive API when {@code
 * BACKUP_GDRIVE_CREDENTIALS} is set, else, as the original Kanbu did, a locally mounted Drive
 * folder at {@code BACKUP_GDRIVE_PATH}.
 *
 * @param type {@code local} or {@code gdrive}
 * @param localPath root of local storage
 * @param gdrive the Drive settings; used when {@code type} is {@code gdrive}
 */
public record StorageSettings(String type, Path localPath, GoogleDrive gdrive) {

  /**
   * Google Drive.
   *
   * @param credentials a service-account key or authorized-user file ({@code
   *     BACKUP_GDRIVE_CREDENTIALS}); null for a mounted folder
   * @param folderId the folder that holds the backups ({@code BACKUP_GDRIVE_FOLDER_ID})
   * @param driveId the shared drive of that folder ({@code BACKUP_GDRIVE_DRIVE_ID})
   * @param chunkSize upload chunk size in bytes ({@code BACKUP_GDRIVE_CHUNK_SIZE}), a multiple of
   *     256 KiB
   * @param rootUrl the API root; null for Google's (tests point it at a fake)
   * @param mountedPath a locally mounted Drive folder ({@code BACKUP_GDRIVE_PATH}), the original's
   *     setting
   */
  public record GoogleDrive(
      @Nullable Path credentials,
      @Nullable String folderId,
      @Nullable String driveId,
      int chunkSize,
      @Nullable String rootUrl,
      @Nullable Path mountedPath) {}

  public StorageSettings {
    type = type.strip().toLowerCase(Locale.ROOT);
    switch (type) {
      case "local" -> requireAbsolute(localPath, "BACKUP_LOCAL_PATH");
      case "gdrive" -> {
        if (gdrive.credentials() == null && gdrive.mountedPath() == null) {
          throw new IllegalArgumentException(
              "BACKUP_STORAGE is 'gdrive' but neither BACKUP_GDRIVE_CREDENTIALS (the Drive API)"
                  + " nor BACKUP_GDRIVE_PATH (a mounted Drive folder) is set; set one");
        }
        if (gdrive.credentials() != null && blank(gdrive.folderId())) {
          throw new IllegalArgumentException(
              "BACKUP_GDRIVE_CREDENTIALS is set but BACKUP_GDRIVE_FOLDER_ID is not; set it to the"
                  + " id of the Drive folder that holds the backups");
        }
        if (gdrive.credentials() == null) {
          requireAbsolute(gdrive.mountedPath(), "BACKUP_GDRIVE_PATH");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "BACKUP_STORAGE names '"
                  + type
                  + "', which is no storage; use 'local', 'gdrive' or a comma-separated list of"
                  + " them such as 'local,gdrive'");
    }
  }

  /**
   * Every storage {@code BACKUP_STORAGE} lists, in its order (the first is the primary, which every
   * backup is written to; the others receive copies): {@code local}, {@code gdrive}, or both, e.g.
   * {@code local,gdrive}. Each kind has one set of settings, so each may be listed once; its name
   * is the storage's name in the catalog.
   *
   * @param list the value of {@code BACKUP_STORAGE}
   * @throws IllegalArgumentException naming the entry that is wrong and what to do
   */
  public static List<StorageSettings> parseList(String list, Path localPath, GoogleDrive gdrive) {
    String[] entries = list.split(",", -1);
    if (list.isBlank()) {
      throw new IllegalArgumentException(
          "BACKUP_STORAGE is empty; set it to 'local', 'gdrive' or a comma-separated list such as"
              + " 'local,gdrive' (the first is the primary)");
    }
    List<StorageSettings> storages = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(
            "BACKUP_STORAGE '"
                + list
                + "' has an empty entry at position "
                + (i + 1)
                + "; remove the extra comma");
      }
      if (!seen.add(entry)) {
        throw new IllegalArgumentException(
            "BACKUP_STORAGE '"
                + list
                + "' lists '"
                + entry
                + "' twice; list each storage once (each kind has one set of settings, so a"
                + " second copy on the same kind of storage cannot be configured)");
      }
      storages.add(new StorageSettings(entry, localPath, gdrive));
    }
    if (seen.contains("local") && seen.contains("gdrive")) {
      requireDistinctFolders(localPath, gdrive);
    }
    return List.copyOf(storages);
  }

  private static void requireDistinctFolders(Path localPath, GoogleDrive gdrive) {
    Path mounted = gdrive.mountedPath();
    if (gdrive.credentials() == null
        && mounted != null
        && mounted.normalize().equals(localPath.normalize())) {
      throw new IllegalArgumentException(
          "BACKUP_STORAGE lists 'local' and 'gdrive' but BACKUP_GDRIVE_PATH and BACKUP_LOCAL_PATH"
              + " are the same folder '"
              + localPath
              + "': two copies in one folder are one copy; point them at different disks");
    }
  }

  /**
   * The storage's name in the catalog and in messages: its kind, {@code local} or {@code gdrive}.
   */
  public String name() {
    return type;
  }

  /** True when backups go through the Drive API. */
  public boolean usesDriveApi() {
    return type.equals("gdrive") && gdrive.credentials() != null;
  }

  /** Where the backups are, for the status report: a path, or the Drive folder. */
  public String location() {
    if (usesDriveApi()) {
      return "Google Drive folder " + gdrive.folderId();
    }
    return type.equals("gdrive") ? String.valueOf(gdrive.mountedPath()) : localPath.toString();
  }

  /** Opens the configured backend. */
  public StorageBackend open() {
    if (!type.equals("gdrive")) {
      return new LocalStorageBackend(localPath);
    }
    if (gdrive.credentials() == null) {
      return new LocalStorageBackend(
          java.util.Objects.requireNonNull(gdrive.mountedPath()), "gdrive", "BACKUP_GDRIVE_PATH");
    }
    DriveClients.Settings defaults = DriveClients.Settings.defaults();
    DriveClients.Settings settings =
        new DriveClients.Settings(
            gdrive.rootUrl(),
            defaults.connectTimeout(),
            defaults.readTimeout(),
            defaults.retries(),
            defaults.initialBackoff());
    return new GoogleDriveStorageBackend(
        DriveClients.drive(DriveClients.credentials(gdrive.credentials()), settings),
        java.util.Objects.requireNonNull(gdrive.folderId()),
        blank(gdrive.driveId()) ? null : gdrive.driveId(),
        gdrive.chunkSize());
  }

  private static void requireAbsolute(@Nullable Path path, String setting) {
    if (path == null || !path.isAbsolute()) {
      throw new IllegalArgumentException(
          setting + " is '" + path + "'; set it to an absolute path");
    }
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
