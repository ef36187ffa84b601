package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.inventory.Inventory;
import io.kanbu.backup.core.inventory.StorageInventory;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code RESCAN} job: takes the inventory of this worker's storage (reading every manifest),
 * reads every file of the original Kanbu the catalog does not know yet, and reconciles the catalog
 * with both in one transaction with the job's end.
 */
@Component
public class RescanJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(RescanJobRunner.class);

  private final StorageBackend storage;
  private final CatalogReconciler reconciler;
  private final LegacyImporter importer;
  private final BackupRecordRepository backups;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public RescanJobRunner(
      StorageBackend storage,
      CatalogReconciler reconciler,
      LegacyImporter importer,
      BackupRecordRepository backups,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.storage = storage;
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
      log.info("job {} running: rescanning storage '{}'", job.id(), storage.name());
      Inventory inventory = StorageInventory.scan(storage);
      Set<String> known = new HashSet<>();
      backups.findByStorage(storage.name()).forEach(b -> known.add(b.getObjectKey()));
      LegacyImporter.Imports imports = importer.measure(storage, inventory, known);
      outcomes.summarized(
          job, now -> reconciler.reconcile(job.id(), storage.name(), inventory, imports, now));
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }
}
