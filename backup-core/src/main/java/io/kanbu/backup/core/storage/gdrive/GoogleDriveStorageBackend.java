package io.kanbu.backup.core.storage.gdrive;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.InputStreamContent;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveRequest;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.storage.ObjectAlreadyExistsException;
import io.kanbu.backup.core.storage.ObjectKeys;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageCapabilities;
import io.kanbu.backup.core.storage.StoredObject;
import io.kanbu.backup.core.storage.StreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Backup objects as files in one Drive folder (on a shared drive when {@code driveId} is given,
 * since service accounts have no quota of their own). A file carries its object key, and the
 * object's id properties, in {@code appProperties}, so listing and rescans work from Drive alone;
 * its name is the key's last part, for people browsing the folder.
 *
 * <p>Uploads are resumable and chunked: the client sends one chunk at a time (a multiple of 256
 * KiB, the only memory an upload holds) and a transient failure resumes the session from the last
 * byte Drive acknowledged (see {@link DriveClients}). Drive creates the file only when the last
 * chunk arrived, so an upload whose writer failed leaves nothing; a replace uploads a new revision
 * of the same file, which becomes current only when complete.
 */
public final class GoogleDriveStorageBackend implements StorageBackend {

  /** The {@code appProperties} key that holds the object key. */
  static final String KEY_PROPERTY = "kanbuKey";

  private static final String FIELDS = "id, name, size, modifiedTime, createdTime, appProperties";
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final Drive drive;
  private final String folderId;
  private final @Nullable String driveId;
  private final int chunkSize;

  /**
   * @param folderId the folder that holds every object ({@code BACKUP_GDRIVE_FOLDER_ID})
   * @param driveId the shared drive the folder is on ({@code BACKUP_GDRIVE_DRIVE_ID}); null for "My
   *     Drive"
   * @param chunkSize upload chunk size, a positive multiple of 256 KiB
   */
  public GoogleDriveStorageBackend(
      Drive drive, String folderId, @Nullable String driveId, int chunkSize) {
    if (chunkSize <= 0 || chunkSize % MediaHttpUploader.MINIMUM_CHUNK_SIZE != 0) {
      throw new IllegalArgumentException(
          "the Drive upload chunk size is "
              + chunkSize
              + " bytes; give a positive multiple of 262144 (256 KiB)");
    }
    this.drive = drive;
    this.folderId = folderId;
    this.driveId = driveId;
    this.chunkSize = chunkSize;
  }

  @Override
  public String name() {
    return "gdrive";
  }

  @Override
  public StorageCapabilities capabilities() {
    // a file appears only when its upload completed; Drive's listing may lag behind a write
    return new StorageCapabilities(true, true, false);
  }

  @Override
  public StoredObject put(String key, StreamWriter writer) {
    ObjectKeys.requireValid(key);
    if (find(key).isPresent()) {
      throw new ObjectAlreadyExistsException(name(), key);
    }
    File metadata =
        new File()
            .setName(lastPart(key))
            .setParents(List.of(folderId))
            .setAppProperties(Map.of(KEY_PROPERTY, key));
    File created =
        upload(key, writer, content -> drive.files().create(metadata, content).setFields(FIELDS));
    // Drive has no unique names: of two puts that raced, the older file wins
    List<File> same = filesWithKey(key);
    if (same.size() > 1) {
      File oldest =
          same.stream().min(Comparator.comparing(f -> f.getCreatedTime().getValue())).get();
      if (!oldest.getId().equals(created.getId())) {
        deleteQuietly(created.getId());
        throw new ObjectAlreadyExistsException(name(), key);
      }
    }
    return stored(key, created);
  }

  @Override
  public StoredObject replace(String key, StreamWriter writer) {
    ObjectKeys.requireValid(key);
    File existing = find(key).orElseThrow(() -> new ObjectNotFoundException(name(), key));
    File updated =
        upload(
            key,
            writer,
            content ->
                drive.files().update(existing.getId(), new File(), content).setFields(FIELDS));
    return stored(key, updated);
  }

  @Override
  public InputStream open(String key) {
    ObjectKeys.requireValid(key);
    File file = find(key).orElseThrow(() -> new ObjectNotFoundException(name(), key));
    try {
      return sharedDrive(drive.files().get(file.getId())).executeMediaAsInputStream();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        throw new ObjectNotFoundException(name(), key);
      }
      throw failure("download object '" + key + "'", e);
    } catch (IOException e) {
      throw failure("download object '" + key + "'", e);
    }
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    ObjectKeys.requireValid(key);
    return find(key).map(f -> stored(key, f));
  }

  @Override
  public List<StoredObject> list(String prefix) {
    ObjectKeys.requireValidPrefix(prefix);
    List<StoredObject> objects = new ArrayList<>();
    for (File file : query("")) {
      String key = keyOf(file);
      if (key != null && key.startsWith(prefix)) {
        objects.add(stored(key, file));
      }
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) {
    ObjectKeys.requireValid(key);
    for (File file : filesWithKey(key)) {
      try {
        sharedDrive(drive.files().delete(file.getId())).execute();
      } catch (GoogleJsonResponseException e) {
        if (e.getStatusCode() != 404) {
          throw failure("delete object '" + key + "'", e);
        }
      } catch (IOException e) {
        throw failure("delete object '" + key + "'", e);
      }
    }
  }

  /** Starts an upload request for the given content. */
  @FunctionalInterface
  private interface UploadCall {
    DriveRequest<File> start(InputStreamContent content) throws IOException;
  }

  private File upload(String key, StreamWriter writer, UploadCall call) {
    UploadPipe pipe;
    try {
      pipe = new UploadPipe(chunkSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<File> uploaded = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("gdrive-upload")
        .start(
            () -> {
              try {
                InputStreamContent content =
                    new InputStreamContent(CONTENT_TYPE, pipe.uploadSide());
                DriveRequest<File> request = sharedDrive(call.start(content));
                // compressed backups do not shrink: gzip of chunks would only cost CPU and memory
                request.setDisableGZipContent(true);
                MediaHttpUploader uploader = request.getMediaHttpUploader();
                uploader.setDirectUploadEnabled(false);
                uploader.setDisableGZipContent(true);
                uploader.setChunkSize(chunkSize);
                uploaded.complete(request.execute());
              } catch (Throwable e) {
                uploaded.completeExceptionally(e);
              } finally {
                pipe.uploadEnded();
              }
            });
    try {
      writer.writeTo(pipe.writerSide());
      pipe.complete();
    } catch (IOException e) {
      pipe.fail(e);
      awaitQuietly(uploaded);
      Throwable uploadFailure = uploadFailure(uploaded);
      // a write that failed because the upload stopped: the upload's reason is the real one
      throw uploadFailure != null
          ? failure("upload object '" + key + "'", uploadFailure)
          : new TransientBackupException(
              "unable to write object '" + key + "' to storage 'gdrive': " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      pipe.fail(e);
      awaitQuietly(uploaded);
      throw e;
    }
    try {
      return uploaded.get();
    } catch (ExecutionException e) {
      throw failure("upload object '" + key + "'", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBackupException("interrupted while uploading '" + key + "'", e);
    }
  }

  private static void awaitQuietly(CompletableFuture<File> uploaded) {
    try {
      uploaded.get();
    } catch (ExecutionException e) {
      // reported by the caller
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @Nullable Throwable uploadFailure(CompletableFuture<File> uploaded) {
    if (!uploaded.isCompletedExceptionally()) {
      return null;
    }
    try {
      uploaded.get();
      return null;
    } catch (ExecutionException e) {
      // the upload failed because the writer did: not the upload's own reason
      return e.getCause() instanceof UploadPipe.WriterFailedException ? null : e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private Optional<File> find(String key) {
    return filesWithKey(key).stream().findFirst();
  }

  private List<File> filesWithKey(String key) {
    return query(
        " and appProperties has { key='" + KEY_PROPERTY + "' and value='" + escape(key) + "' }");
  }

  /** Every file of the folder matching the extra condition, all pages. */
  private List<File> query(String condition) {
    List<File> files = new ArrayList<>();
    String pageToken = null;
    try {
      do {
        Drive.Files.List list =
            drive
                .files()
                .list()
                .setQ("'" + escape(folderId) + "' in parents and trashed = false" + condition)
                .setFields("nextPageToken, files(" + FIELDS + ")")
                .setPageSize(1000)
                .setPageToken(pageToken)
                .setSupportsAllDrives(true)
                .setIncludeItemsFromAllDrives(true);
        if (driveId != null) {
          list.setCorpora("drive").setDriveId(driveId);
        }
        FileList page = list.execute();
        if (page.getFiles() != null) {
          files.addAll(page.getFiles());
        }
        pageToken = page.getNextPageToken();
      } while (pageToken != null);
    } catch (IOException e) {
      throw failure("list folder '" + folderId + "'", e);
    }
    return files;
  }

  private <T extends DriveRequest<?>> T sharedDrive(T request) {
    request.set("supportsAllDrives", true);
    return request;
  }

  private void deleteQuietly(String fileId) {
    try {
      sharedDrive(drive.files().delete(fileId)).execute();
    } catch (IOException e) {
      // left for a rescan to report
    }
  }

  private static @Nullable String keyOf(File file) {
    return file.getAppProperties() == null ? null : file.getAppProperties().get(KEY_PROPERTY);
  }

  private static StoredObject stored(String key, File file) {
    long size = file.getSize() == null ? 0 : file.getSize();
    Instant modified =
        file.getModifiedTime() == null
            ? Instant.EPOCH
            : Instant.ofEpochMilli(file.getModifiedTime().getValue());
    return new StoredObject(key, size, modified);
  }

  private static String lastPart(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  /** A string literal in a Drive query: backslash and single quote escaped. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  private BackupException failure(String what, Throwable e) {
    if (e instanceof GoogleJsonResponseException g) {
      int status = g.getStatusCode();
      String reason =
          g.getDetails() == null || g.getDetails().getMessage() == null
              ? g.getStatusMessage()
              : g.getDetails().getMessage();
      String message = "unable to " + what + " in storage 'gdrive': HTTP " + status + " " + reason;
      if (status == 401 || status == 403 && !isRateLimit(g) || status == 404) {
        return new PermanentBackupException(
            message
                + "; check BACKUP_GDRIVE_CREDENTIALS, BACKUP_GDRIVE_FOLDER_ID and that the"
                + " account may write to the folder",
            e);
      }
      return new TransientBackupException(message + "; retry", e);
    }
    return new TransientBackupException(
        "unable to " + what + " in storage 'gdrive': " + e.getMessage() + "; retry", e);
  }

  private static boolean isRateLimit(GoogleJsonResponseException e) {
    return e.getDetails() != null
        && e.getDetails().getErrors() != null
        && e.getDetails().getErrors().stream()
            .anyMatch(
                err ->
                    "rateLimitExceeded".equals(err.getReason())
                        || "userRateLimitExceeded".equals(err.getReason()));
  }
}
