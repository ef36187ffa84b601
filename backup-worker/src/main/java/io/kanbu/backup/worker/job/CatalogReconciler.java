package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.inventory.Inventory;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.verify.LegacyFileCheck;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Brings the catalog in line with a storage's inventory: a described object without a row is
 * adopted from its manifest, an available row whose object is gone is marked missing, a missing row
 * whose object is back is available again. Rows are never deleted and digests never invented:
 * legacy files and untrusted objects are reported, not adopted. Runs inside the caller's
 * transaction.
 */
@Component
public class CatalogReconciler {

  private final BackupRecordRepository backups;
  private final BackupCopyRepository copies;
  private final BackupCopyLedger ledger;

  public CatalogReconciler(
      BackupRecordRepository backups, BackupCopyRepository copies, BackupCopyLedger ledger) {
    this.backups = backups;
    this.copies = copies;
    this.ledger = ledger;
  }

  /**
   * Reconciles the catalog with the inventory of one storage: adopts backups described there that
   * the catalog lacks, records the copies found there, and marks the copies recorded there whose
   * object is gone as missing. Call {@link #settleBackups} once every storage is reconciled.
   *
   * @param jobId the rescan job, recorded as the job of adopted rows
   * @param storageName the storage the inventory was taken of
   * @param imports the legacy files the catalog did not know, measured
   * @param adopted receives each backup adopted from this storage
   */
  public JobSummary reconcile(
      UUID jobId,
      String storageName,
      Inventory inventory,
      LegacyImporter.Imports imports,
      Instant now,
      List<BackupRecord> adopted) {
    Map<String, BackupRecord> rowsByKey = new HashMap<>();
    for (BackupRecord row : backups.findByStorage(storageName)) {
      rowsByKey.put(row.getObjectKey(), row);
      ledger.copiesOf(row); // a row recorded without copies gets its one copy here
    }
    List<String> warnings = new ArrayList<>(inventory.problems());
    warnings.addAll(imports.warnings());
    int adoptedBefore = adopted.size();
    int foundAgain = 0;
    int missing = 0;
    Set<UUID> found = new HashSet<>();
    for (Inventory.Described described : inventory.described()) {
      BackupManifest manifest = described.manifest();
      BackupRecord row = backups.findById(manifest.backupId()).orElse(null);
      if (row == null) {
        row = backups.save(adopt(jobId, storageName, described, now));
        ledger.recordFound(row, storageName, now);
        adopted.add(row);
      } else if (!row.getObjectKey().equals(described.object().key())) {
        warnings.add(
            "manifest '"
                + described.manifestKey()
                + "' names backup "
                + manifest.backupId()
                + ", which the catalog records under another object; not adopted");
        continue;
      } else if (row.getStatus() == BackupStatus.DELETED
          || row.getStatus() == BackupStatus.DELETING) {
        // deleted (or being deleted) on purpose; an object left behind is not brought back
        continue;
      } else if (ledger.recordFound(row, storageName, now)) {
        foundAgain++;
      }
      found.add(row.getId());
    }
    Set<String> keys = inventory.keys();
    for (BackupCopy copy : copies.findByStorage(storageName)) {
      if (copy.getStatus() == BackupCopyStatus.AVAILABLE
          && !found.contains(copy.getBackupId())
          && !keys.contains(copy.getObjectKey())) {
        copy.missing("a rescan did not find '" + copy.getObjectKey() + "'", now);
        missing++;
        warnings.add(
            "backup "
                + copy.getBackupId()
                + " ('"
                + copy.getObjectKey()
                + "') is no longer in storage '"
                + storageName
                + "'; its copy there is marked MISSING");
      }
    }
    for (Inventory.Legacy legacy : inventory.legacy()) {
      BackupRecord row = rowsByKey.get(legacy.object().key());
      if (row != null && ledger.recordFound(row, storageName, now)) {
        foundAgain++;
      }
    }
    for (LegacyImporter.Measured measured : imports.measured()) {
      BackupRecord row = backups.save(importLegacy(jobId, storageName, measured, now));
      ledger.recordFound(row, storageName, now);
    }
    String summary =
        String.format(
            Locale.ROOT,
            "storage '%s': %d objects described by a manifest, %d adopted into the catalog,"
                + " %d found again, %d marked missing, %d legacy files (%d imported), %d problems",
            storageName,
            inventory.described().size(),
            adopted.size() - adoptedBefore,
            foundAgain,
            missing,
            inventory.legacy().size(),
            imports.measured().size(),
            inventory.problems().size() + imports.warnings().size());
    return new JobSummary(summary, warnings);
  }

  /**
   * After every storage was reconciled: a backup is available while any copy is, missing when none
   * is (a warning names each backup that went missing).
   */
  public List<String> settleBackups() {
    List<String> warnings = new ArrayList<>();
    Set<UUID> withACopy = new HashSet<>();
    for (BackupCopy copy : copies.findAll()) {
      if (copy.getStatus() == BackupCopyStatus.AVAILABLE) {
        withACopy.add(copy.getBackupId());
      }
    }
    for (BackupRecord row : backups.findAll()) {
      if (row.getStatus() == BackupStatus.DELETED || row.getStatus() == BackupStatus.DELETING) {
        continue;
      }
      boolean anyCopy = withACopy.contains(row.getId());
      if (anyCopy && row.getStatus() == BackupStatus.MISSING) {
        row.markFoundAgain();
      } else if (!anyCopy && row.getStatus() == BackupStatus.AVAILABLE) {
        row.markMissing();
        warnings.add(
            "backup "
                + row.getId()
                + " ('"
                + row.getObjectKey()
                + "') has no copy left; marked MISSING");
      }
    }
    return warnings;
  }

  private static BackupRecord importLegacy(
      UUID jobId, String storageName, LegacyImporter.Measured measured, Instant now) {
    Inventory.Legacy file = measured.file();
    LegacyFileCheck.Result result = measured.result();
    String key = file.object().key();
    return BackupRecord.available(
            UUID.randomUUID(),
            jobId,
            file.name().target(),
            file.name().database() ? BackupKind.DATABASE : BackupKind.SOURCE,
            new BackupRecord.Location(storageName, key, key.substring(key.lastIndexOf('/') + 1)),
            new BackupRecord.Content(
                result.rawBytes(),
                result.compressedBytes(),
                result.storedBytes(),
                result.sha256(),
                result.sha256Stored(),
                file.name().compression().id(),
                file.name().encrypted(),
                measured.keyId(),
                null,
                null),
            file.createdAt())
        .importedLegacyAt(now);
  }

  private static BackupRecord adopt(
      UUID jobId, String storageName, Inventory.Described described, Instant now) {
    BackupManifest manifest = described.manifest();
    BackupManifest.Encryption encryption = manifest.encryption();
    BackupRecord row =
        BackupRecord.available(
                manifest.backupId(),
                jobId,
                manifest.target(),
                manifest.kind().equals("source") ? BackupKind.SOURCE : BackupKind.DATABASE,
                new BackupRecord.Location(
                    storageName,
                    described.object().key(),
                    manifest.fileName(),
                    described.manifestKey()),
                new BackupRecord.Content(
                    manifest.sizes().raw(),
                    manifest.sizes().compressed(),
                    manifest.sizes().stored(),
                    manifest.sha256(),
                    manifest.sha256Stored(),
                    manifest.compression(),
                    encryption != null,
                    encryption == null ? null : encryption.keyId(),
                    manifest.pgServerVersion(),
                    manifest.pgDumpVersion()),
                manifest.createdAt())
            .adoptedAt(now);
    BackupManifest.Source source = manifest.source();
    if (source != null && row.getKind() == BackupKind.SOURCE) {
      // manifests written before these fields have none: the row stays without them
      BackupManifest.Git git = source.git();
      row.withSourceDetails(
          source.fileCount(),
          source.totalBytes(),
          source.excludedPatterns(),
          git == null ? null : git.commit(),
          git == null ? null : git.uncommittedChanges());
    }
    return row;
  }
}
