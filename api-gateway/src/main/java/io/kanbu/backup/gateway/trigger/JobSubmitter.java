package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.enqueue.JobEnqueuer;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Creates the jobs of the API's requests through the shared {@link JobEnqueuer} (the scheduler
 * creates its jobs through it too): the row ({@code QUEUED}, the outbox of its command) is inserted
 * and, once that committed, the command is published with confirms. If the broker is away the job
 * stays unpublished and {@link CommandOutboxRelay#relayPending()} publishes it later, so an
 * accepted trigger is never lost. A repeated idempotency key returns the job it created first; the
 * unique constraint on the key settles concurrent repeats.
 */
@Component
public class JobSubmitter {

  private final BackupJobRepository jobs;
  private final JobEnqueuer enqueuer;
  private final Clock clock;
  private final int maxAttempts;

  public JobSubmitter(
      BackupJobRepository jobs, JobEnqueuer enqueuer, Clock clock, GatewayProperties properties) {
    this.jobs = jobs;
    this.enqueuer = enqueuer;
    this.clock = clock;
    this.maxAttempts = properties.trigger().maxAttempts();
  }

  /**
   * The outcome of a trigger.
   *
   * @param jobs the jobs that run the request, in the order of its types; several for a recovery
   *     point
   * @param replayed true if an earlier request with the same idempotency key created them
   */
  public record Submission(List<BackupJob> jobs, boolean replayed) {

    public Submission {
      jobs = List.copyOf(jobs);
    }

    /** The first (for a one-job trigger, the only) job. */
    public BackupJob job() {
      return jobs.getFirst();
    }
  }

  /**
   * Creates and publishes the job of a trigger, or finds the one its idempotency key created.
   *
   * @throws ApiProblemException 409 if the idempotency key was used for a different request
   */
  public Submission submit(
      TriggerRequest request, @Nullable String idempotencyKey, String requestedBy) {
    if (idempotencyKey != null) {
      Optional<BackupJob> earlier = jobs.findByIdempotencyKey(idempotencyKey);
      if (earlier.isPresent()) {
        return replay(earlier.get(), request, idempotencyKey);
      }
    }
    List<BackupJob> created =
        JobEnqueuer.backupJobs(
            request.types(),
            request.target(),
            TriggerSource.API,
            requestedBy,
            idempotencyKey,
            maxAttempts,
            clock.instant());
    try {
      enqueuer.insert(created);
    } catch (DataIntegrityViolationException e) {
      if (idempotencyKey == null) {
        throw e;
      }
      // A concurrent request with the same key committed first: answer with its job.
      BackupJob winner = jobs.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e);
      return replay(winner, request, idempotencyKey);
    }
    enqueuer.publish(
        created,
        job ->
            job.getType()
                + " on '"
                + job.getTarget()
                + "' requested by '"
                + requestedBy
                + "'"
                + (job.getRecoveryPointId() == null
                    ? ""
                    : " (recovery point " + job.getRecoveryPointId() + ")"));
    return new Submission(created, false);
  }

  /**
   * Creates and publishes a {@code VERIFY} job for one backup, a restore drill when {@code drill}.
   * It takes no target lock, so it runs beside backups of the same target (a drill restores into a
   * scratch database of its own).
   */
  public BackupJob submitVerify(UUID backupId, String target, String requestedBy, boolean drill) {
    BackupJob job = aboutBackup(JobType.VERIFY, backupId, target, requestedBy);
    if (drill) {
      job.asDrill();
    }
    saveAndPublish(
        job,
        (drill ? "restore drill (VERIFY) of backup " : "VERIFY of backup ") + backupId,
        requestedBy);
    return job;
  }

  /**
   * Creates and publishes a {@code REPLICATE} job: a worker writes every copy the backup lacks on
   * the storages of its {@code BACKUP_STORAGE}. It takes no lock.
   */
  public BackupJob submitReplicate(UUID backupId, String target, String requestedBy) {
    BackupJob job = aboutBackup(JobType.REPLICATE, backupId, target, requestedBy);
    saveAndPublish(job, "REPLICATE of backup " + backupId, requestedBy);
    return job;
  }

  /**
   * Creates and publishes a {@code DELETE_BACKUP} job: a worker deletes every copy of the backup on
   * every storage and marks it {@code DELETED}. It shares the rekeys' lock, so it never runs while
   * a rekey rewrites objects; a prune leaves a backup alone while a job about it is queued.
   */
  public BackupJob submitDelete(UUID backupId, String target, String requestedBy) {
    BackupJob job = aboutBackup(JobType.DELETE_BACKUP, backupId, target, requestedBy);
    saveAndPublish(job, "DELETE_BACKUP of backup " + backupId, requestedBy);
    return job;
  }

  /** A new job of the API about one backup, not yet saved. */
  private BackupJob aboutBackup(JobType type, UUID backupId, String target, String requestedBy) {
    return BackupJob.queuedFor(
        backupId,
        UUID.randomUUID(),
        type,
        target,
        TriggerSource.API,
        requestedBy,
        null,
        maxAttempts,
        clock.instant());
  }

  /**
   * Creates and publishes a {@code RESTORE_DATABASE} job for one backup, recording who asked. It
   * holds the target's lock while it runs, so it never overlaps a backup of the target.
   */
  public BackupJob submitRestore(
      UUID backupId, String target, BackupJob.RestoreDetails details, String requestedBy) {
    BackupJob job =
        BackupJob.queuedRestore(
            backupId,
            UUID.randomUUID(),
            target,
            details,
            TriggerSource.API,
            requestedBy,
            null,
            maxAttempts,
            clock.instant());
    saveAndPublish(
        job,
        "RESTORE_DATABASE of backup "
            + backupId
            + " into '"
            + (details.database() == null ? "(the target's database)" : details.database())
            + "' on '"
            + target
            + "'"
            + (details.safetyBackupWaiver() == null ? "" : " (safety backup waived)"),
        requestedBy);
    return job;
  }

  /**
   * Creates and publishes a {@code RESCAN} job: a worker reconciles the catalog with its storage.
   * One runs at a time (they share a lock); a second waits for the first.
   */
  public BackupJob submitRescan(String requestedBy) {
    return submitPlain(JobType.RESCAN, RESCAN_TARGET, "RESCAN of the storage", requestedBy);
  }

  /**
   * Creates and publishes a {@code PRUNE} job: a worker applies the retention policies of {@code
   * target}. One prune runs at a time (they share a lock).
   */
  public BackupJob submitPrune(String target, String requestedBy) {
    return submitPlain(JobType.PRUNE, target, "PRUNE of target '" + target + "'", requestedBy);
  }

  /** A job that needs nothing but its type and target. */
  private BackupJob submitPlain(JobType type, String target, String what, String requestedBy) {
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(),
            type,
            target,
            TriggerSource.API,
            requestedBy,
            null,
            maxAttempts,
            clock.instant());
    saveAndPublish(job, what, requestedBy);
    return job;
  }

  /**
   * Creates and publishes a {@code REKEY} job: a worker re-wraps the data key of the backup {@code
   * backupId} (of target {@code target}), or with both null of every backup not wrapped by its
   * primary key, under that key. One runs at a time (they share a lock); a second waits.
   */
  public BackupJob submitRekey(
      @Nullable UUID backupId, @Nullable String target, String requestedBy) {
    UUID jobId = UUID.randomUUID();
    Instant now = clock.instant();
    BackupJob job =
        backupId == null || target == null
            ? BackupJob.queued(
                jobId,
                JobType.REKEY,
                RESCAN_TARGET,
                TriggerSource.API,
                requestedBy,
                null,
                maxAttempts,
                now)
            : BackupJob.queuedFor(
                backupId,
                jobId,
                JobType.REKEY,
                target,
                TriggerSource.API,
                requestedBy,
                null,
                maxAttempts,
                now);
    saveAndPublish(
        job,
        backupId == null ? "REKEY of every backup" : "REKEY of backup " + backupId,
        requestedBy);
    return job;
  }

  /**
   * Creates and publishes a {@code RESTORE_SOURCE} job: a worker extracts the source backup {@code
   * backupId} of {@code target} into the directory the details name. It holds the target's source
   * lock, so it never overlaps a source backup of the same target.
   */
  public BackupJob submitSourceRestore(
      UUID backupId, String target, BackupJob.SourceRestoreDetails details, String requestedBy) {
    BackupJob job =
        BackupJob.queuedSourceRestore(
            backupId,
            UUID.randomUUID(),
            target,
            details,
            TriggerSource.API,
            requestedBy,
            null,
            maxAttempts,
            clock.instant());
    saveAndPublish(
        job,
        "RESTORE_SOURCE of backup " + backupId + " into '" + details.directory() + "'",
        requestedBy);
    return job;
  }

  /**
   * The target name a rescan (and a rekey of every backup) carries: it works on the storage, not on
   * a configured target.
   */
  public static final String RESCAN_TARGET = "storage";

  /** Inserts a one-job request and publishes its command; the outbox relay covers a broker away. */
  private void saveAndPublish(BackupJob job, String what, String requestedBy) {
    enqueuer.enqueue(List.of(job), j -> what + " requested by '" + requestedBy + "'");
  }

  private Submission replay(BackupJob earlier, TriggerRequest request, String key) {
    List<BackupJob> group =
        earlier.getRecoveryPointId() == null
            ? List.of(earlier)
            : jobs.findByRecoveryPointId(earlier.getRecoveryPointId()).stream()
                .sorted(Comparator.comparing(BackupJob::getType))
                .toList();
    List<JobType> types = group.stream().map(BackupJob::getType).toList();
    if (!types.equals(request.types()) || !earlier.getTarget().equals(request.target())) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "idempotency key reused",
          "idempotency key '"
              + key
              + "' was already used for job '"
              + earlier.getId()
              + "' ("
              + types
              + " on '"
              + earlier.getTarget()
              + "'); send a new key for a different request",
          TriggerRequestParser.IDEMPOTENCY_KEY_HEADER);
    }
    return new Submission(group, true);
  }
}
