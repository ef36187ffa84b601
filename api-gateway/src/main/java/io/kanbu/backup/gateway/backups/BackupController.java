package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.core.storage.StoredObject;
import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Page;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read API for backups, and their downloads streamed from storage. */
@RestController
@RequestMapping("/api/v1/backups")
@Tag(name = "backups", description = "List and download backups")
public class BackupController {

  /** Names the storage whose copy a download serves. */
  static final String COPY_HEADER = "X-Kanbu-Copy";

  /** Says which copies a download skipped (missing, or of the wrong size) before one served. */
  static final String WARNING_HEADER = "X-Kanbu-Warning";

  private static final Logger log = LoggerFactory.getLogger(BackupController.class);

  private final BackupRecordRepository backups;
  private final BackupCopyRepository copies;
  private final StorageSet storages;

  public BackupController(
      BackupRecordRepository backups, BackupCopyRepository copies, StorageSet storages) {
    this.backups = backups;
    this.copies = copies;
    this.storages = storages;
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Backups, newest first, optionally of one target")
  public PageView<BackupView> backups(
      @Parameter(description = "A target name") @RequestParam(required = false)
          @Nullable String target,
      @Parameter(description = "Page number, from 0") @RequestParam(required = false)
          @Nullable Integer page,
      @Parameter(description = "Page size, 1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer size) {
    Specification<BackupRecord> filter = Specification.unrestricted();
    if (target != null && !target.isBlank()) {
      filter = filter.and((root, query, cb) -> cb.equal(root.get("target"), target));
    }
    Page<BackupRecord> found = backups.findAll(filter, PageParameters.newestFirst(page, size));
    return PageView.of(found, viewer(found.getContent()));
  }

  /**
   * Turns backups of {@code found} into their views with their copies, read in one catalog query
   * for all of them (the pages use it too).
   */
  public Function<BackupRecord, BackupView> viewer(Collection<BackupRecord> found) {
    Map<UUID, List<BackupCopy>> copiesById =
        copies.findByBackupIdIn(found.stream().map(BackupRecord::getId).toList()).stream()
            .collect(Collectors.groupingBy(BackupCopy::getBackupId));
    return b -> BackupView.of(b, copiesById.getOrDefault(b.getId(), List.of()));
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "One backup")
  @ApiResponse(responseCode = "404", description = "No such backup")
  public BackupView backup(@PathVariable UUID id) {
    BackupRecord backup = find(id);
    return BackupView.of(
        backup, BackupCopy.orImplicit(copies.findByBackupIdOrderByCreatedAt(id), backup));
  }

  @GetMapping(path = "/{id}/download")
  @Operation(
      summary =
          "Download a backup, streamed from storage: its first intact copy (header X-Kanbu-Copy"
              + " names the storage; a Warning header says when a copy was missing and another"
              + " served)")
  @ApiResponse(
      responseCode = "200",
      description =
          "The backup file: application/gzip, application/zstd, application/sql or"
              + " application/x-tar (uncompressed), application/octet-stream when encrypted",
      content = {
        @Content(
            mediaType = "application/gzip",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/zstd",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/sql",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/x-tar",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/octet-stream",
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "404",
      description = "No such backup, or no intact copy of it on this gateway's storages")
  @ApiResponse(responseCode = "409", description = "The backup is being deleted")
  @ApiResponse(responseCode = "410", description = "The backup was deleted")
  public ResponseEntity<Resource> download(@PathVariable UUID id) {
    BackupRecord backup = find(id);
    if (backup.getStatus() == BackupStatus.DELETED) {
      throw new ApiProblemException(
          HttpStatus.GONE,
          "backup deleted",
          "backup '" + id + "' was deleted; list available backups with GET /api/v1/backups",
          null);
    }
    if (backup.getStatus() == BackupStatus.DELETING) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "backup being deleted",
          "backup '"
              + id
              + "' is being deleted (some copies may be gone already); list available backups"
              + " with GET /api/v1/backups",
          null);
    }
    List<String> skipped = new ArrayList<>();
    for (BackupCopy copy : readOrder(backup)) {
      StorageBackend storage = storages.find(copy.getStorage()).orElseThrow();
      long expected = copy.getStoredSize() == null ? backup.getStoredSize() : copy.getStoredSize();
      StoredObject object = storage.stat(copy.getObjectKey()).orElse(null);
      if (object == null || object.size() != expected) {
        skipped.add(
            "the copy in storage '"
                + storage.name()
                + "' is "
                + (object == null ? "missing" : object.size() + " bytes, not " + expected));
        continue;
      }
      ResponseEntity.BodyBuilder response =
          ResponseEntity.ok()
              .contentType(BackupMediaType.of(backup))
              .contentLength(object.size())
              .header(
                  HttpHeaders.CONTENT_DISPOSITION,
                  ContentDisposition.attachment().filename(backup.getFileName()).build().toString())
              .header(COPY_HEADER, storage.name());
      if (!skipped.isEmpty()) {
        String warning =
            String.join("; ", skipped) + "; served the copy in storage '" + storage.name() + "'";
        log.warn("download of backup {}: {}", id, warning);
        response.header(WARNING_HEADER, warning);
      }
      return response.body(
          new StoredObjectResource(
              storage, copy.getObjectKey(), object.size(), backup.getFileName()));
    }
    throw ApiProblemException.notFound(
        "backup object missing",
        "backup '"
            + id
            + "' (file '"
            + backup.getFileName()
            + "') has no intact copy on the storages this gateway reads ("
            + storages
            + (skipped.isEmpty() ? "" : ": " + String.join("; ", skipped))
            + "); the catalog lists it but storage does not have it: restore it from another"
            + " copy or trigger a new backup");
  }

  /**
   * The copies a download may serve, best first: available ones in the order of {@code
   * BACKUP_STORAGE}, then the others (the catalog may not know yet that a copy came back); only on
   * storages this gateway reads.
   */
  private List<BackupCopy> readOrder(BackupRecord backup) {
    return BackupCopy.readOrder(
            BackupCopy.orImplicit(copies.findByBackupIdOrderByCreatedAt(backup.getId()), backup),
            storages.names())
        .stream()
        .filter(c -> c.getStatus() != BackupCopyStatus.PENDING)
        .toList();
  }

  private BackupRecord find(UUID id) {
    return CatalogBackups.find(backups, id);
  }
}
