package io.kanbu.backup.core.storage;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The {@code BACKUP_GDRIVE_*} settings as the apps bind them (empty = not set).
 *
 * @param credentials {@code BACKUP_GDRIVE_CREDENTIALS}: path of a service-account key or an
 *     authorized-user file
 * @param folderId {@code BACKUP_GDRIVE_FOLDER_ID}
 * @param driveId {@code BACKUP_GDRIVE_DRIVE_ID}: the shared drive of the folder
 * @param chunkSize {@code BACKUP_GDRIVE_CHUNK_SIZE}: upload chunk bytes, a multiple of 262144
 *     (default 8 MiB)
 * @param rootUrl {@code BACKUP_GDRIVE_ROOT_URL}: another API root (tests)
 * @param path {@code BACKUP_GDRIVE_PATH}: a locally mounted Drive folder, the original's setting
 */
public record GoogleDriveProperties(
    @Nullable String credentials,
    @Nullable String folderId,
    @Nullable String driveId,
    @Nullable Integer chunkSize,
    @Nullable String rootUrl,
    @Nullable String path) {

  /** The default upload chunk: 8 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

  /** The settings these values give. */
  public StorageSettings.GoogleDrive toSettings() {
    return new StorageSettings.GoogleDrive(
        blank(credentials) ? null : Path.of(credentials.strip()),
        blank(folderId) ? null : folderId.strip(),
        blank(driveId) ? null : driveId.strip(),
        chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize,
        blank(rootUrl) ? null : rootUrl.strip(),
        blank(path) ? null : Path.of(path.strip()));
  }

  private static boolean blank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
