package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
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

  private final BackupRecordRepository backups;
  private final StorageBackend storage;

  public BackupController(BackupRecordRepository backups, StorageBackend storage) {
    this.backups = backups;
    this.storage = storage;
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
    return PageView.of(
        backups.findAll(filter, PageParameters.newestFirst(page, size)), BackupView::of);
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "One backup")
  @ApiResponse(responseCode = "404", description = "No such backup")
  public BackupView backup(@PathVariable UUID id) {
    return BackupView.of(find(id));
  }

  @GetMapping(path = "/{id}/download")
  @Operation(summary = "Download a backup, streamed from storage")
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
  @ApiResponse(responseCode = "404", description = "No such backup, or its object is missing")
  public ResponseEntity<Resource> download(@PathVariable UUID id) {
    BackupRecord backup = find(id);
    if (backup.getStatus() == BackupStatus.DELETED) {
      throw new ApiProblemException(
          HttpStatus.GONE,
          "backup deleted",
          "backup '" + id + "' was deleted; list available backups with GET /api/v1/backups",
          null);
    }
    if (!backup.getStorage().equals(storage.name())) {
      throw ApiProblemException.notFound(
          "backup object missing",
          "backup '"
              + id
              + "' is kept in storage '"
              + backup.getStorage()
              + "', which this gateway does not read (it reads '"
              + storage.name()
              + "'); download it where that storage is configured");
    }
    StoredObject object =
        storage
            .stat(backup.getObjectKey())
            .orElseThrow(
                () ->
                    ApiProblemException.notFound(
                        "backup object missing",
                        "backup '"
                            + id
                            + "' (file '"
                            + backup.getFileName()
                            + "') is missing in storage '"
                            + storage.name()
                            + "'; the catalog lists it but storage does not have it: restore it"
                            + " from another copy or trigger a new backup"));
    return ResponseEntity.ok()
        .contentType(BackupMediaType.of(backup))
        .contentLength(object.size())
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(backup.getFileName()).build().toString())
        .body(
            new StoredObjectResource(
                storage, backup.getObjectKey(), object.size(), backup.getFileName()));
  }

  private BackupRecord find(UUID id) {
    return CatalogBackups.find(backups, id);
  }
}
