package io.kanbu.backup.gateway.retention;

import io.kanbu.backup.gateway.backups.BackupView;
import io.kanbu.backup.gateway.backups.CatalogBackups;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pins: a pinned backup is never deleted by retention. The row is locked while it changes, so a pin
 * and a prune deleting the same backup never pass each other.
 */
@RestController
@RequestMapping("/api/v1/backups/{id}/pin")
@Tag(name = "retention", description = "Policies, previews and prune jobs")
public class PinController {

  private final BackupRecordRepository backups;
  private final BackupCopyRepository copies;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public PinController(
      BackupRecordRepository backups,
      BackupCopyRepository copies,
      TransactionTemplate transactions,
      Clock clock) {
    this.backups = backups;
    this.copies = copies;
    this.transactions = transactions;
    this.clock = clock;
  }

  @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Pin a backup: retention never deletes it")
  @ApiResponse(responseCode = "404", description = "No such backup")
  @ApiResponse(responseCode = "409", description = "The backup is missing or deleted")
  public BackupView pin(
      @PathVariable UUID id,
      @RequestHeader(name = "X-Requested-By", required = false) @Nullable String requestedBy) {
    String by = TriggerRequestParser.requestedBy(requestedBy);
    return change(
        id,
        backup -> {
          CatalogBackups.available(backups, id, "pinned");
          backup.pin(by, clock.instant());
        });
  }

  @DeleteMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Unpin a backup: retention considers it again")
  @ApiResponse(responseCode = "404", description = "No such backup")
  public BackupView unpin(@PathVariable UUID id) {
    return change(id, BackupRecord::unpin);
  }

  private BackupView change(UUID id, java.util.function.Consumer<BackupRecord> change) {
    BackupRecord changed =
        transactions.execute(
            tx -> {
              CatalogBackups.find(backups, id);
              BackupRecord backup = backups.findForUpdate(id).orElseThrow();
              change.accept(backup);
              return backups.save(backup);
            });
    BackupRecord backup = Objects.requireNonNull(changed);
    return BackupView.of(
        backup,
        BackupCopy.orImplicit(copies.findByBackupIdOrderByCreatedAt(backup.getId()), backup));
  }
}
