package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.replicate.ObjectReplicator;
import io.kanbu.backup.core.replicate.ReplicaSource;
import io.kanbu.backup.core.replicate.SourceCopyException;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.model.catalog.BackupCopy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.ReplicationProperties;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed {@code REPLICATE} job: writes every copy a backup lacks on the storages of {@code
 * BACKUP_STORAGE} (pending, failed, missing or corrupt, or on a storage added since), streaming
 * each from an intact copy ({@link ObjectReplicator} checks the stored bytes' SHA-256 on the way
 * and stores nothing that differs). A copy it could not read from is recorded missing or corrupt
 * and another is tried. The copies' states, the job's end and its event (with the copies) commit
 * together; a copy that failed gets its next attempt time, when the replication retry queues
 * another {@code REPLICATE}.
 */
@Component
public class ReplicateJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(ReplicateJobRunner.class);

  private final StorageSet storages;
  private final BackupCopyRepository copies;
  private final BackupCopyLedger ledger;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final ReplicationProperties replication;
  private final WorkerProperties props;
  private final ObjectReplicator replicator = new ObjectReplicator();

  public ReplicateJobRunner(
      StorageSet storages,
      BackupCopyRepository copies,
      BackupCopyLedger ledger,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      ReplicationProperties replication,
      WorkerProperties props) {
    this.storages = storages;
    this.copies = copies;
    this.ledger = ledger;
    this.outcomes = outcomes;
    this.leases = leases;
    this.replication = replication;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.REPLICATE;
  }

  /** What happened to one copy. */
  private sealed interface Result {
    record Written(ObjectReplicator.Copied copied, String from) implements Result {}

    /**
     * @param noSource no intact copy was there to copy from: a missing or corrupt copy keeps that
     *     status (it is not the target's failure)
     */
    record Failed(String error, boolean noSource) implements Result {}
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    BackupRecord backup = outcomes.backupOrFail(job, "copy");
    if (backup == null) {
      return;
    }
    UUID backupId = backup.getId();
    if (backup.getStatus() != BackupStatus.AVAILABLE) {
      outcomes.summarized(
          job,
          now ->
              new JobSummary(
                  "backup " + backupId + " is " + backup.getStatus() + "; nothing to copy",
                  List.of()));
      return;
    }
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, SourceCopyException> badSources = new LinkedHashMap<>();
    JobLeaseKeeper.Renewal renewal = leases.keep(job);
    try {
      for (StorageBackend target : storagesLacking(backup)) {
        results.put(target.name(), copyTo(target, backup, badSources));
      }
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
      return;
    } finally {
      renewal.close();
    }
    outcomes.summarized(job, now -> record(backup, results, badSources, now));
  }

  /** The configured storages whose copy of the backup is absent or not available. */
  private List<StorageBackend> storagesLacking(BackupRecord backup) {
    Map<String, BackupCopy> known = new LinkedHashMap<>();
    ledger.copiesOf(backup).forEach(c -> known.put(c.getStorage(), c));
    List<StorageBackend> lacking = new ArrayList<>();
    for (StorageBackend storage : storages.all()) {
      BackupCopy copy = known.get(storage.name());
      if (copy == null || copy.getStatus().needsRepair()) {
        lacking.add(storage);
      }
    }
    return lacking;
  }

  private Result copyTo(
      StorageBackend target, BackupRecord backup, Map<String, SourceCopyException> badSources) {
    List<String> tried = new ArrayList<>();
    for (BackupCopy source : ledger.readOrder(backup)) {
      String from = source.getStorage();
      if (source.getStatus() != BackupCopyStatus.AVAILABLE
          || from.equals(target.name())
          || badSources.containsKey(from)) {
        continue;
      }
      tried.add(from);
      try {
        ObjectReplicator.Copied copied =
            replicator.copy(
                storages.find(from).orElseThrow(), target, replicaSource(backup, source));
        log.info(
            "backup {} copied from '{}' to '{}' ({} bytes, stored sha256 checked)",
            backup.getId(),
            from,
            target.name(),
            copied.storedSize());
        return new Result.Written(copied, from);
      } catch (SourceCopyException e) {
        log.warn(
            "backup {}: copy on '{}' cannot be read from: {}",
            backup.getId(),
            from,
            e.getMessage());
        badSources.put(from, e);
      } catch (BackupException e) {
        return new Result.Failed(e.getMessage(), false);
      }
    }
    return new Result.Failed(
        "no intact copy of backup '"
            + backup.getId()
            + "' to copy from"
            + (tried.isEmpty() ? "" : " (tried " + String.join(", ", tried) + ")")
            + "; run a RESCAN if a storage holds it",
        true);
  }

  private static ReplicaSource replicaSource(BackupRecord backup, BackupCopy source) {
    return new ReplicaSource(
        backup.getId(),
        source.getObjectKey(),
        source.getManifestKey(),
        Objects.requireNonNullElse(source.getStoredSize(), backup.getStoredSize()),
        Objects.requireNonNullElse(source.getSha256Stored(), backup.getSha256Stored()));
  }

  /** Records every copy's new state in the job's final transaction. */
  private JobSummary record(
      BackupRecord backup,
      Map<String, Result> results,
      Map<String, SourceCopyException> badSources,
      Instant now) {
    Map<String, BackupCopy> rows = new LinkedHashMap<>();
    copies.lockByBackupId(backup.getId()).forEach(c -> rows.put(c.getStorage(), c));
    List<String> warnings = new ArrayList<>();
    badSources.forEach(
        (storage, e) -> {
          BackupCopy copy = rows.get(storage);
          if (copy != null && copy.getStatus() == BackupCopyStatus.AVAILABLE) {
            if (e.missing()) {
              copy.missing(e.getMessage(), now);
            } else {
              copy.corrupt(e.getMessage(), now);
            }
          }
          warnings.add("copy on '" + storage + "' could not be copied from: " + e.getMessage());
        });
    List<String> written = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    results.forEach(
        (storage, result) -> {
          BackupCopy copy =
              rows.computeIfAbsent(storage, s -> copies.save(BackupCopy.pending(backup, s, now)));
          switch (result) {
            case Result.Written w -> {
              copy.written(w.copied().storedSize(), w.copied().sha256Stored(), now, now);
              written.add("'" + storage + "' (from '" + w.from() + "')");
            }
            case Result.Failed f
                when f.noSource()
                    && (copy.getStatus() == BackupCopyStatus.MISSING
                        || copy.getStatus() == BackupCopyStatus.CORRUPT) ->
                failures.add(
                    "copy of backup '"
                        + backup.getId()
                        + "' on storage '"
                        + storage
                        + "' stays "
                        + copy.getStatus()
                        + ": "
                        + f.error());
            case Result.Failed f -> {
              copy.failed(f.error(), replication.retryPause(), now);
              failures.add(
                  "copy of backup '"
                      + backup.getId()
                      + "' to storage '"
                      + storage
                      + "' failed: "
                      + f.error()
                      + "; another REPLICATE tries again at "
                      + copy.getNextAttemptAt());
            }
          }
        });
    long available =
        rows.values().stream().filter(c -> c.getStatus() == BackupCopyStatus.AVAILABLE).count();
    long total =
        rows.values().stream().filter(c -> c.getStatus() != BackupCopyStatus.DELETED).count();
    String summary =
        "backup "
            + backup.getId()
            + ": "
            + (written.isEmpty() ? "no copy written" : "copied to " + String.join(", ", written))
            + "; "
            + (available < total ? "degraded: " : "")
            + available
            + " of "
            + total
            + " copies available";
    @Nullable String failure = failures.isEmpty() ? null : String.join("; ", failures);
    return new JobSummary(summary, warnings, failure);
  }
}
