package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.inventory.Inventory;
import io.kanbu.backup.core.inventory.StorageInventory;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.worker.config.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code RESCAN} job: takes the inventory of this worker's storage (reading every manifest)
 * and reconciles the catalog with it in one transaction with the job's end.
 */
@Component
public class RescanJobRunner {

  private static final Logger log = LoggerFactory.getLogger(RescanJobRunner.class);

  private final StorageBackend storage;
  private final CatalogReconciler reconciler;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public RescanJobRunner(
      StorageBackend storage,
      CatalogReconciler reconciler,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.storage = storage;
    this.reconciler = reconciler;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  /** Runs the job on the calling thread; never throws. */
  public void run(ClaimedJob job) {
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      log.info("job {} running: rescanning storage '{}'", job.id(), storage.name());
      Inventory inventory = StorageInventory.scan(storage);
      outcomes.summarized(
          job, now -> reconciler.reconcile(job.id(), storage.name(), inventory, now));
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }
}
