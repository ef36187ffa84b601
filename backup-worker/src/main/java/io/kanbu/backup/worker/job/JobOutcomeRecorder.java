package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupOutcome;
import io.kanbu.backup.core.SourceBackupOutcome;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records how a job ended: in one transaction the job's final state, the backup row (on success)
 * and the event in the outbox; after the commit the event is published.
 */
@Component
public class JobOutcomeRecorder {

  private static final Logger log = LoggerFactory.getLogger(JobOutcomeRecorder.class);

  private final BackupJobRepository jobs;
  private final BackupRecordRepository backups;
  private final JobEventRecordRepository events;
  private final EventOutboxRelay eventPublisher;
  private final MessageCodec codec;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;
  private final JobMetrics metrics;
  private final BackupCopyLedger copies;
  private final FollowUpJobs followUps;

  public JobOutcomeRecorder(
      BackupJobRepository jobs,
      BackupRecordRepository backups,
      JobEventRecordRepository events,
      EventOutboxRelay eventPublisher,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props,
      JobMetrics metrics,
      BackupCopyLedger copies,
      FollowUpJobs followUps) {
    this.copies = copies;
    this.followUps = followUps;
    this.jobs = jobs;
    this.backups = backups;
    this.events = events;
    this.eventPublisher = eventPublisher;
    this.codec = codec;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
    this.metrics = metrics;
  }

  /**
   * Claims a queued job for this worker (the one conditional UPDATE) and, in the same transaction,
   * records its {@code job.started} event, which is published after the commit.
   *
   * @return the claimed job, or empty if another worker has it or it is no longer queued
   * @throws org.springframework.dao.DataIntegrityViolationException if another running job holds
   *     the job's lock (its target); nothing was changed
   */
  public Optional<BackupJob> claim(UUID jobId) {
    Instant now = clock.instant();
    Optional<ClaimResult> result =
        Optional.ofNullable(
            transactions.execute(
                tx -> {
                  int rows =
                      jobs.claim(jobId, props.workerId(), now.plus(props.leaseDuration()), now);
                  if (rows == 0) {
                    return null;
                  }
                  BackupJob job = jobs.findById(jobId).orElseThrow();
                  return new ClaimResult(
                      job, events.save(JobEventRecord.jobStarted(job, codec, now)));
                }));
    // the poller logs the claim once the command is acknowledged
    result.ifPresent(claimed -> eventPublisher.publish(claimed.started()));
    return result.map(ClaimResult::job);
  }

  private record ClaimResult(BackupJob job, JobEventRecord started) {}

  /**
   * Records a successful backup.
   *
   * @return false if this worker no longer owns the job (its lease was lost); nothing was recorded
   *     and the caller removes the object it stored
   */
  public boolean succeeded(ClaimedJob claimed, UUID backupId, BackupOutcome outcome) {
    List<BackupJob> replication = new ArrayList<>(1);
    Optional<JobEventRecord> event =
        endOwned(
            claimed,
            (job, now) -> {
              var p = outcome.pipeline();
              BackupRecord backup =
                  backups.save(
                      BackupRecord.available(
                          backupId,
                          job.getId(),
                          job.getTarget(),
                          BackupKind.DATABASE,
                          new BackupRecord.Location(
                              outcome.storageName(),
                              outcome.objectKey(),
                              outcome.fileName(),
                              outcome.manifestKey()),
                          new BackupRecord.Content(
                              p.rawBytes(),
                              p.compressedBytes(),
                              p.storedBytes(),
                              p.sha256Compressed(),
                              p.sha256Stored(),
                              outcome.manifest().compression(),
                              outcome.encrypted(),
                              outcome.keyId(),
                              outcome.serverVersion(),
                              outcome.pgDumpVersion()),
                          outcome.finishedAt()));
              job.succeed(backupId, now);
              pruneAfterScheduledBackup(job, now);
              return recordNewBackup(job, backup, now, replication);
            });
    if (event.isEmpty()) {
      log.warn(
          "job {} is no longer owned by worker '{}' (lease lost); its result is discarded",
          claimed.id(),
          props.workerId());
      return false;
    }
    log.info(
        "job {} SUCCEEDED: backup {} '{}' ({} bytes stored, sha256 {})",
        claimed.id(),
        backupId,
        outcome.objectKey(),
        outcome.pipeline().storedBytes(),
        outcome.pipeline().sha256Compressed());
    announce(event.get());
    replication.forEach(followUps::publish);
    return true;
  }

  /**
   * Records a new backup's copies (queueing the {@code REPLICATE} that writes those on the other
   * storages into {@code replication}, to publish after the commit) and the job's end event.
   */
  private JobEventRecord recordNewBackup(
      BackupJob job, BackupRecord backup, Instant now, List<BackupJob> replication) {
    copies.recordNew(backup, job, now).ifPresent(replication::add);
    return events.save(
        JobEventRecord.jobEnded(job, backup, null, copies.report(backup.getId()), codec, now));
  }

  /**
   * A backup that a schedule started is followed by a {@code PRUNE} of its target, queued in the
   * same transaction (the command relays of the gateway and the scheduler publish it), so retention
   * runs after every scheduled backup. Prunes take one lock: they never run side by side.
   */
  private void pruneAfterScheduledBackup(BackupJob job, Instant now) {
    if (job.getScheduleFiringId() == null) {
      return;
    }
    BackupJob prune =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.PRUNE,
            job.getTarget(),
            TriggerSource.SCHEDULE,
            "after scheduled job " + job.getId(),
            null,
            job.getMaxAttempts(),
            now);
    jobs.save(prune);
    log.info(
        "job {}: queued PRUNE job {} of target '{}'", job.getId(), prune.getId(), job.getTarget());
  }

  /**
   * Records a successful source backup, with its warnings on the job (SUCCEEDED "with warnings"
   * when there are any) and what the archive holds on the backup row.
   *
   * @return false if this worker no longer owns the job; nothing was recorded
   */
  public boolean sourceSucceeded(ClaimedJob claimed, UUID backupId, SourceBackupOutcome outcome) {
    List<BackupJob> replication = new ArrayList<>(1);
    Optional<JobEventRecord> event =
        endOwned(
            claimed,
            (job, now) -> {
              var p = outcome.pipeline();
              var archive = outcome.archive();
              var git = outcome.git();
              BackupRecord backup =
                  backups.save(
                      BackupRecord.available(
                              backupId,
                              job.getId(),
                              job.getTarget(),
                              BackupKind.SOURCE,
                              new BackupRecord.Location(
                                  outcome.storageName(),
                                  outcome.objectKey(),
                                  outcome.fileName(),
                                  outcome.manifestKey()),
                              new BackupRecord.Content(
                                  p.rawBytes(),
                                  p.compressedBytes(),
                                  p.storedBytes(),
                                  p.sha256Compressed(),
                                  p.sha256Stored(),
                                  outcome.manifest().compression(),
                                  outcome.encrypted(),
                                  outcome.keyId(),
                                  null,
                                  null),
                              outcome.finishedAt())
                          .withSourceDetails(
                              archive.fileCount(),
                              archive.totalBytes(),
                              archive.excludedPatterns(),
                              git == null ? null : git.commit(),
                              git == null ? null : git.uncommittedChanges()));
              job.succeedWithWarnings(backupId, outcome.warnings(), now);
              pruneAfterScheduledBackup(job, now);
              return recordNewBackup(job, backup, now, replication);
            });
    if (event.isEmpty()) {
      log.warn(
          "job {} is no longer owned by worker '{}' (lease lost); its result is discarded",
          claimed.id(),
          props.workerId());
      return false;
    }
    log.info(
        "job {} SUCCEEDED{}: source backup {} '{}' ({} files, {} bytes stored)",
        claimed.id(),
        outcome.warnings().isEmpty() ? "" : " with " + outcome.warnings().size() + " warnings",
        backupId,
        outcome.objectKey(),
        outcome.archive().fileCount(),
        outcome.pipeline().storedBytes());
    announce(event.get());
    replication.forEach(followUps::publish);
    return true;
  }

  /** Records on the job how it reaches PostgreSQL and why, before the dump starts. */
  public void recordMode(ClaimedJob claimed, PgModeResolver.Decision decision) {
    transactions.executeWithoutResult(
        tx -> {
          BackupJob job = ownedJob(claimed.id());
          if (job != null) {
            job.recordMode(decision.mode(), decision.reason(), clock.instant());
          }
        });
  }

  /**
   * Records a finished verification: the backup's verification state (and the drill's result when
   * the job was a drill), the job's end and the {@code verify.succeeded} / {@code verify.failed}
   * event, in one transaction. A drill that failed fails the job.
   *
   * @param verifyError null when every check passed, else the message naming the failed check
   * @param drill the drill's result; null when the job was no drill or the verification failed
   * @param checks what the verification found on each copy, recorded on the copies; those not
   *     intact become the job's warnings
   */
  public void verificationEnded(
      ClaimedJob claimed,
      UUID backupId,
      @Nullable String verifyError,
      RestoreDrill.@Nullable Result drill,
      List<CopyCheck> checks) {
    List<JobEventRecord> copiesChanged = new ArrayList<>(1);
    Optional<JobEventRecord> event =
        endOwned(
            claimed,
            (job, now) -> {
              boolean troubledBefore = copies.troubled(backupId);
              BackupRecord backup = recordVerification(backupId, verifyError, now);
              if (backup != null && drill != null) {
                backup.recordDrill(drill.passed(), drill.seconds(), drill.error(), now);
              }
              List<String> warnings = new ArrayList<>(copies.recordChecks(backupId, checks, now));
              if (verifyError != null) {
                job.fail(verifyError, now);
              } else if (drill != null && !drill.passed()) {
                job.fail(Objects.requireNonNull(drill.error()), now);
              } else {
                warnings.addAll(drill == null ? List.of() : drill.notes());
                job.succeedWithWarnings(backupId, warnings, now);
              }
              JobEvent.Copies report = copies.report(backupId);
              copiesChanged(job, troubledBefore, report, now).ifPresent(copiesChanged::add);
              return events.save(
                  JobEventRecord.jobEnded(
                      job,
                      backup,
                      drill == null
                          ? null
                          : new JobEvent.Drill(drill.passed(), drill.seconds(), drill.error()),
                      report,
                      codec,
                      now));
            });
    if (event.isEmpty()) {
      log.warn(
          "verification job {} is no longer owned by worker '{}' (lease lost); result discarded",
          claimed.id(),
          props.workerId());
      return;
    }
    if (verifyError == null && drill != null) {
      log.info(
          "job {} {}: backup {} verified, {}",
          claimed.id(),
          drill.passed() ? "SUCCEEDED" : "FAILED",
          backupId,
          drill.passed() ? drill.notes().getLast() : drill.error());
    } else if (verifyError == null) {
      log.info("job {} SUCCEEDED: backup {} verified", claimed.id(), backupId);
    } else {
      log.warn("job {} FAILED: backup {} did not verify: {}", claimed.id(), backupId, verifyError);
    }
    announce(event.get());
    copiesChanged.forEach(eventPublisher::publish);
  }

  /**
   * Records that a job reading a backup for another purpose (a source restore) found it damaged:
   * the backup's verification fails exactly as a {@code VERIFY} job would record it, and the job
   * fails with {@code error}, in one transaction; then the event is published.
   *
   * @param verifyError the message naming the failed check, as a verification records it
   * @param error why the job failed, for the job and its event
   */
  public void verificationFailedInJob(
      ClaimedJob claimed, UUID backupId, String verifyError, String error) {
    Optional<JobEventRecord> event =
        endOwned(
            claimed,
            (job, now) -> {
              BackupRecord backup = recordVerification(backupId, verifyError, now);
              job.fail(error, now);
              return events.save(JobEventRecord.jobEnded(job, backup, codec, now));
            });
    if (event.isEmpty()) {
      log.warn(
          "job {} found backup {} damaged but is no longer owned by worker '{}' (lease lost): {}",
          claimed.id(),
          backupId,
          props.workerId(),
          verifyError);
      return;
    }
    log.warn("job {} FAILED: backup {} did not verify: {}", claimed.id(), backupId, verifyError);
    announce(event.get());
  }

  /**
   * Records a verification's result on the backup: verified, or the failed check (a backup that
   * once verified is no longer trusted).
   *
   * @return the backup; null if it is no longer in the catalog
   */
  private @Nullable BackupRecord recordVerification(
      UUID backupId, @Nullable String verifyError, Instant now) {
    BackupRecord backup = backups.findById(backupId).orElse(null);
    if (backup != null) {
      if (verifyError == null) {
        backup.markVerified(now);
      } else {
        backup.markVerifyFailed(verifyError, now);
      }
    }
    return backup;
  }

  /**
   * Records the end of a job that changes the catalog instead of making a backup (a rescan, a
   * rekey): {@code work} runs in the same transaction as the job's end, so its changes land only if
   * this worker still owns the job, and returns what it did; the job fails if the summary names a
   * failure.
   *
   * @return false if this worker no longer owns the job; nothing was changed
   */
  public boolean summarized(ClaimedJob claimed, Function<Instant, JobSummary> work) {
    return summarize(claimed, work, false);
  }

  /**
   * As {@link #summarized}, for a job about one backup whose end event also carries that backup's
   * file name, sizes and digests (a {@code DELETE_BACKUP}: a subscriber learns which file went).
   *
   * @return false if this worker no longer owns the job; nothing was changed
   */
  public boolean summarizedWithBackup(ClaimedJob claimed, Function<Instant, JobSummary> work) {
    return summarize(claimed, work, true);
  }

  private boolean summarize(
      ClaimedJob claimed, Function<Instant, JobSummary> work, boolean withBackup) {
    record Ended(
        JobEventRecord event, JobSummary summary, Optional<JobEventRecord> copiesChanged) {}
    Optional<Ended> ended =
        Optional.ofNullable(
            transactions.execute(
                tx -> {
                  BackupJob job = ownedJob(claimed.id());
                  if (job == null) {
                    return null;
                  }
                  Instant now = clock.instant();
                  UUID backupId = job.getBackupId();
                  boolean troubledBefore = backupId != null && copies.troubled(backupId);
                  JobSummary summary = work.apply(now);
                  if (summary.failure() == null) {
                    job.succeedWithSummary(summary.summary(), summary.warnings(), now);
                  } else {
                    job.failWithSummary(
                        summary.failure(), summary.summary(), summary.warnings(), now);
                  }
                  JobEvent.Copies report = backupId == null ? null : copies.report(backupId);
                  return new Ended(
                      events.save(
                          JobEventRecord.jobEnded(
                              job,
                              withBackup && backupId != null
                                  ? backups.findById(backupId).orElse(null)
                                  : null,
                              null,
                              report,
                              codec,
                              now)),
                      summary,
                      copiesChanged(job, troubledBefore, report, now));
                }));
    if (ended.isEmpty()) {
      log.warn(
          "job {} is no longer owned by worker '{}' (lease lost); its changes were rolled back",
          claimed.id(),
          props.workerId());
      return false;
    }
    JobSummary summary = ended.get().summary();
    log.info(
        "job {} {}{}: {}",
        claimed.id(),
        summary.failure() == null ? "SUCCEEDED" : "FAILED (" + summary.failure() + ")",
        summary.warnings().isEmpty() ? "" : " with " + summary.warnings().size() + " warnings",
        summary.summary());
    summary.warnings().forEach(w -> log.warn("job {}: {}", claimed.id(), w));
    announce(ended.get().event());
    ended.get().copiesChanged().ifPresent(eventPublisher::publish);
    return true;
  }

  /**
   * Runs {@code work} (a step of a long job that commits its own progress, e.g. one backup of a
   * rekey) in a transaction, but only while this worker owns the job: the job row stays locked
   * until the commit, so the reaper cannot hand the job to another worker in between.
   *
   * @return false if this worker no longer owns the job; {@code work} did not run
   */
  public boolean whileOwned(ClaimedJob claimed, Consumer<Instant> work) {
    Boolean ran =
        transactions.execute(
            tx -> {
              if (ownedJob(claimed.id()) == null) {
                return false;
              }
              work.accept(clock.instant());
              return true;
            });
    return Boolean.TRUE.equals(ran);
  }

  /**
   * Records a committed restore: the job SUCCEEDED (with its notes as warnings: a waived safety
   * backup, the safety backup taken, nothing to compare) and the {@code restore.succeeded} event.
   */
  public void restoreSucceeded(ClaimedJob claimed, UUID backupId, List<String> notes) {
    Optional<JobEventRecord> event =
        endOwned(
            claimed,
            (job, now) -> {
              job.succeedWithWarnings(backupId, notes, now);
              return events.save(
                  JobEventRecord.jobEnded(
                      job, backups.findById(backupId).orElse(null), codec, now));
            });
    if (event.isEmpty()) {
      // the restore committed all the same; the lease was lost while it ran
      log.warn(
          "restore job {} finished but is no longer owned by worker '{}' (lease lost)",
          claimed.id(),
          props.workerId());
      return;
    }
    log.info("job {} SUCCEEDED: backup {} restored", claimed.id(), backupId);
    announce(event.get());
  }

  /**
   * The backup a job about one backup names, from the catalog; if it names none or the catalog
   * lacks it, the job is failed saying so and null is returned.
   *
   * @param doing what the job would have done, e.g. {@code verify}, for the message
   */
  public @Nullable BackupRecord backupOrFail(ClaimedJob claimed, String doing) {
    UUID backupId = claimed.backupId();
    if (backupId == null) {
      failed(claimed, claimed.type() + " job " + claimed.id() + " names no backupId; send one");
      return null;
    }
    BackupRecord backup = backups.findById(backupId).orElse(null);
    if (backup == null) {
      failed(claimed, "backup '" + backupId + "' is not in the catalog; nothing to " + doing);
    }
    return backup;
  }

  /** Records that a job this worker runs failed; {@code error} says why and what to do. */
  public void failed(ClaimedJob claimed, String error) {
    Optional<JobEventRecord> event =
        Optional.ofNullable(
            transactions.execute(
                tx -> {
                  BackupJob job = ownedJob(claimed.id());
                  return job == null ? null : failAndRecord(job, error);
                }));
    if (event.isEmpty()) {
      log.warn(
          "job {} failed but is no longer owned by worker '{}' (lease lost): {}",
          claimed.id(),
          props.workerId(),
          error);
      return;
    }
    log.warn("job {} FAILED: {}", claimed.id(), error);
    announce(event.get());
  }

  /**
   * Fails a job that was never claimed (its command was rejected), if its row exists and is still
   * queued; a job another service created must not wait forever for a command nobody can run.
   */
  public void failQueued(UUID jobId, String reason) {
    Optional<JobEventRecord> event =
        Optional.ofNullable(
            transactions.execute(
                tx ->
                    jobs.findForUpdate(jobId)
                        .filter(job -> job.getStatus() == JobStatus.QUEUED)
                        .map(job -> failAndRecord(job, reason))
                        .orElse(null)));
    event.ifPresent(
        e -> {
          log.warn("job {} FAILED without running: {}", jobId, reason);
          announce(e);
        });
  }

  /**
   * Records the {@code backup.degraded} event when the job left a copy of its backup failed,
   * missing or corrupt where none was before, or {@code backup.repaired} when it repaired the last
   * such copy and every copy is available; empty otherwise.
   */
  private Optional<JobEventRecord> copiesChanged(
      BackupJob job, boolean troubledBefore, JobEvent.@Nullable Copies report, Instant now) {
    UUID backupId = job.getBackupId();
    if (report == null || backupId == null) {
      return Optional.empty();
    }
    boolean troubledAfter = copies.troubled(backupId);
    boolean degraded = !troubledBefore && troubledAfter;
    boolean repaired = troubledBefore && !troubledAfter && !report.degraded();
    if (!degraded && !repaired) {
      return Optional.empty();
    }
    JobEventRecord event = events.save(JobEventRecord.copiesChanged(job, report, codec, now));
    log.info("job {}: {} for backup {}", job.getId(), event.getEventType(), backupId);
    return Optional.of(event);
  }

  /** Publishes a job's end event (the outbox relay repeats it if this fails) and counts it. */
  private void announce(JobEventRecord event) {
    eventPublisher.publish(event);
    metrics.jobEnded(event);
  }

  private JobEventRecord failAndRecord(BackupJob job, String error) {
    Instant now = clock.instant();
    job.fail(error, now);
    return events.save(JobEventRecord.jobEnded(job, null, codec, now));
  }

  /**
   * In one transaction: locks the job if this worker still owns it and lets {@code end} record its
   * end (at one instant) and return the event; empty if the lease was lost and nothing was done.
   */
  private Optional<JobEventRecord> endOwned(
      ClaimedJob claimed, BiFunction<BackupJob, Instant, JobEventRecord> end) {
    return Optional.ofNullable(
        transactions.execute(
            tx -> {
              BackupJob job = ownedJob(claimed.id());
              return job == null ? null : end.apply(job, clock.instant());
            }));
  }

  /** The job, locked, if this worker still owns it; null if it was reaped or re-claimed. */
  private @Nullable BackupJob ownedJob(UUID id) {
    return jobs.findForUpdate(id)
        .filter(job -> job.getStatus() == JobStatus.RUNNING)
        .filter(job -> props.workerId().equals(job.getWorkerId()))
        .orElse(null);
  }
}
