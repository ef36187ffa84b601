package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.retention.RetentionPlanner;
import io.kanbu.backup.core.retention.RetentionPolicy;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupCopyStatus;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import io.kanbu.backup.model.catalog.RetentionPolicyRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a {@code PRUNE} job: for each kind of backup of the job's target that has a retention
 * policy, plans with {@link RetentionPlanner} and deletes what the plan lets go. Each deletion
 * locks the backup's row, checks again that it is still available, unpinned and unused, deletes
 * every copy's object and then its manifest through {@link BackupCopyDeleter}, and marks the row
 * {@code DELETED} (kept as history) in the same transaction, only while this worker owns the job. A
 * backup whose delete failed stays available and is named in the job's warnings.
 */
@Component
public class PruneJobRunner implements JobRunner {

  private static final Logger log = LoggerFactory.getLogger(PruneJobRunner.class);

  private final BackupCopyDeleter deleter;
  private final BackupCopyRepository copies;
  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final RetentionPolicyRepository policies;
  private final JobOutcomeRecorder outcomes;
  private final JobLeaseKeeper leases;
  private final WorkerProperties props;

  public PruneJobRunner(
      BackupCopyDeleter deleter,
      BackupCopyRepository copies,
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      RetentionPolicyRepository policies,
      JobOutcomeRecorder outcomes,
      JobLeaseKeeper leases,
      WorkerProperties props) {
    this.deleter = deleter;
    this.copies = copies;
    this.backups = backups;
    this.jobs = jobs;
    this.policies = policies;
    this.outcomes = outcomes;
    this.leases = leases;
    this.props = props;
  }

  @Override
  public JobType type() {
    return JobType.PRUNE;
  }

  /** Runs the job on the calling thread; never throws. */
  @Override
  public void run(ClaimedJob job) {
    try (JobLeaseKeeper.Renewal renewal = leases.keep(job)) {
      List<String> lines = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      for (BackupKind kind : BackupKind.values()) {
        Optional<RetentionPolicyRecord> policy =
            policies.findById(new RetentionPolicyRecord.Key(job.target(), kind));
        String what = kind.name().toLowerCase(Locale.ROOT);
        if (policy.isEmpty()) {
          lines.add(what + ": no retention policy, nothing deleted");
          continue;
        }
        Optional<String> line = prune(job, kind, policy.get().rules(), warnings);
        if (line.isEmpty()) {
          return; // the lease was lost; another worker has the job now
        }
        lines.add(what + ": " + line.get());
      }
      outcomes.summarized(
          job,
          now ->
              new JobSummary(
                  "retention of target '" + job.target() + "': " + String.join("; ", lines),
                  warnings));
    } catch (BackupException e) {
      outcomes.failed(job, e.getMessage());
    } catch (IllegalArgumentException e) {
      outcomes.failed(
          job,
          "the retention policy of target '"
              + job.target()
              + "' is invalid: "
              + e.getMessage()
              + "; set it again through /api/v1/retention/policies");
    } catch (RuntimeException | Error e) {
      log.error("job {} hit an unexpected error", job.id(), e);
      outcomes.failed(
          job, "unexpected error in worker '" + props.workerId() + "': " + e + "; see its log");
    }
  }

  /** Prunes one kind; empty if the lease was lost on the way. */
  private Optional<String> prune(
      ClaimedJob job, BackupKind kind, RetentionPolicyRecord.Rules rules, List<String> warnings) {
    RetentionPolicy policy =
        RetentionPolicy.of(
            rules.keepLast(),
            rules.keepHourly(),
            rules.keepDaily(),
            rules.keepWeekly(),
            rules.keepMonthly(),
            rules.keepYearly(),
            rules.keepWithin());
    List<BackupRecord> available =
        backups.findByTargetAndKindAndStatus(job.target(), kind, BackupStatus.AVAILABLE);
    Map<UUID, UUID> inUse = jobs.activeJobsByBackup();
    List<RetentionPlanner.Decision> plan =
        new RetentionPlanner(RetentionPolicy.zone(rules.timeZone()))
            .plan(
                available.stream()
                    .map(
                        b ->
                            new RetentionPlanner.Candidate(
                                b.getId(),
                                b.getCreatedAt(),
                                b.isPinned(),
                                b.isVerifiedRestorable(),
                                inUse.get(b.getId())))
                    .toList(),
                policy);
    int deleted = 0;
    long freed = 0;
    for (RetentionPlanner.Decision decision : plan) {
      if (decision.keep()) {
        continue;
      }
      Deletion result = new Deletion();
      boolean owned = outcomes.whileOwned(job, now -> delete(job, decision, now, result));
      if (!owned) {
        log.warn("job {}: lease lost while pruning; stopping", job.id());
        return Optional.empty();
      }
      if (result.skipped != null) {
        warnings.add(result.skipped);
      } else {
        deleted++;
        freed += result.storedBytes;
      }
    }
    return Optional.of(
        deleted
            + " deleted ("
            + freed
            + " bytes freed), "
            + (plan.size() - deleted)
            + " kept by "
            + policy.describe()
            + " in "
            + rules.timeZone());
  }

  /** What one deletion did. */
  private static final class Deletion {
    @Nullable String skipped;
    long storedBytes;
  }

  private void delete(
      ClaimedJob job, RetentionPlanner.Decision decision, Instant now, Deletion result) {
    BackupRecord backup = backups.findForUpdate(decision.id()).orElse(null);
    if (backup == null || backup.getStatus() != BackupStatus.AVAILABLE) {
      result.skipped = "backup " + decision.id() + " is no longer available; left alone";
      return;
    }
    if (backup.isPinned() || jobs.activeJobsByBackup().containsKey(backup.getId())) {
      result.skipped =
          "backup " + decision.id() + " was pinned or taken into use while pruning; kept";
      return;
    }
    BackupCopyDeleter.Outcome deletion = deleter.deleteCopies(backup, now);
    if (!deletion.complete()) {
      result.skipped = deletion.failure() + "; it stays available and the next prune tries again";
      return;
    }
    String reason = decision.summary();
    backup.markDeleted(job.id(), reason, now);
    result.storedBytes = backup.getStoredSize() * Math.max(1, copiesDeleted(backup.getId()));
    log.info(
        "job {}: deleted backup {} ('{}'): {}",
        job.id(),
        backup.getId(),
        backup.getObjectKey(),
        reason);
  }

  private long copiesDeleted(UUID backupId) {
    return copies.findByBackupIdOrderByCreatedAt(backupId).stream()
        .filter(c -> c.getStatus() == BackupCopyStatus.DELETED)
        .count();
  }
}
