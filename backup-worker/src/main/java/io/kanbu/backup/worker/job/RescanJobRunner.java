package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.inventory.Inventory;
import io.kanbu.backup.core.inventory.StorageInventory;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code RESCAN} job: takes the inventory of each of this worker's storages (reading every
 * manifest; a backup found only on another storage than the primary is adopted from there, and each
 * copy found is recorded), reads every file of the original Kanbu the catalog does not know yet,
 * and reconciles the catalog with both in one transaction with the job's end.
 */
@Component
public class RescanJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(RescanJobRunner.class);

  private final StorageSet storages;
  private final BackupCopyLedger ledger;
  private final FollowUpJobs followUps;
  private final CatalogReconciler reconciler;
  private final LegacyImporter importer;
  private final BackupRecordRepository backups;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public RescanJobRunner(
      StorageSet storages,
      BackupCopyLedger ledger,
      FollowUpJobs followUps,
      CatalogReconciler reconciler,
      LegacyImporter importer,
      BackupRecordRepository backups,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.storages = storages;
    this.ledger = ledger;
    this.followUps = followUps;
    this.reconciler = reconciler;
    this.importer = importer;
    this.backups = backups;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.RESCAN;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      StorageBackend primary = storages.primary();
      log.info("job {} running: rescanning storages {}", job.id(), storages);
      Inventory inventory = StorageInventory.scan(primary);
      Set<String> known = new HashSet<>();
      backups.findByStorage(primary.name()).forEach(b -> known.add(b.getObjectKey()));
      LegacyImporter.Imports imports = importer.measure(primary, inventory, known);
      Map<String, Inventory> others = new LinkedHashMap<>();
      List<String> unscanned = new ArrayList<>();
      for (StorageBackend storage : storages.secondaries()) {
        try {
          others.put(storage.name(), StorageInventory.scan(storage));
        } catch (BackupException e) {
          unscanned.add(
              "storage '"
                  + storage.name()
                  + "' could not be scanned: "
                  + e.getMessage()
                  + "; its copies were left as they were");
        }
      }
      List<BackupJob> replication = new ArrayList<>();
      boolean ended =
          outcomes.summarized(
              job,
              now -> {
                List<BackupRecord> adopted = new ArrayList<>();
                List<JobSummary> parts = new ArrayList<>();
                parts.add(
                    reconciler.reconcile(
                        job.id(), primary.name(), inventory, imports, now, adopted));
                others.forEach(
                    (name, found) ->
                        parts.add(
                            reconciler.reconcile(
                                job.id(),
                                name,
                                found,
                                LegacyImporter.Imports.none(),
                                now,
                                adopted)));
                List<String> warnings = new ArrayList<>(unscanned);
                parts.forEach(p -> warnings.addAll(p.warnings()));
                warnings.addAll(reconciler.settleBackups());
                // an adopted backup gets its copies on the storages that lack one
                for (BackupRecord backup : adopted) {
                  ledger.completeCopies(backup, job.trigger(), now).ifPresent(replication::add);
                }
                return new JobSummary(
                    String.join("; ", parts.stream().map(JobSummary::summary).toList()), warnings);
              });
      if (ended) {
        replication.forEach(followUps::publish);
      }
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }
}
