package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.messaging.InvalidMessageException;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.worker.config.WorkerProperties;
import io.kanbu.backup.worker.target.TargetRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a command from the queue into a decision: reject it (invalid, unknown target), drop it (a
 * duplicate), hand it back (target busy), or claim the job with the one conditional UPDATE. Creates
 * the job row for commands that arrive without one (published by another service).
 */
@Component
public class BackupJobClaimer {

  /** The job types this worker version runs; commands of other (reserved) types are refused. */
  static final Set<JobType> RUNNABLE_TYPES =
      EnumSet.of(
          JobType.BACKUP_DATABASE,
          JobType.BACKUP_SOURCE,
          JobType.VERIFY,
          JobType.RESCAN,
          JobType.REKEY,
          JobType.RESTORE_DATABASE,
          JobType.RESTORE_SOURCE,
          JobType.PRUNE,
          JobType.REPLICATE,
          JobType.DELETE_BACKUP);

  private static final Logger log = LoggerFactory.getLogger(BackupJobClaimer.class);

  private final MessageCodec codec;
  private final TargetRegistry targets;
  private final BackupJobRepository jobs;
  private final JobOutcomeRecorder outcomes;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;

  public BackupJobClaimer(
      MessageCodec codec,
      TargetRegistry targets,
      BackupJobRepository jobs,
      JobOutcomeRecorder outcomes,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props) {
    this.codec = codec;
    this.targets = targets;
    this.jobs = jobs;
    this.outcomes = outcomes;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
  }

  /** Decides about one message body; every database change it makes has committed on return. */
  public IntakeDecision accept(byte[] body) {
    BackupCommand command;
    try {
      command = codec.decodeCommand(body);
    } catch (InvalidMessageException e) {
      return new IntakeDecision.Reject(e.getMessage());
    }
    if (!RUNNABLE_TYPES.contains(command.type())) {
      // reserved types of the schema: valid, but this version cannot run them (docs/messages.md)
      String reason =
          "job type '"
              + command.type()
              + "' of job "
              + command.jobId()
              + " is not supported by this worker version; upgrade the workers";
      outcomes.failQueued(command.jobId(), reason);
      return new IntakeDecision.Reject(reason);
    }
    if (!targetKnown(command)) {
      String reason =
          "unknown target '"
              + command.target()
              + "' for job "
              + command.jobId()
              + "; this worker knows "
              + (isSourceJob(command.type())
                  ? targets.sourceTargetNames()
                      + ", configure it with "
                      + TargetRegistry.pathSetting(command.target())
                  : targets.databaseTargetNames()
                      + ", configure it with "
                      + TargetRegistry.urlSetting(command.target()));
      outcomes.failQueued(command.jobId(), reason);
      return new IntakeDecision.Reject(reason);
    }
    ensureJobRow(command);
    return claim(command.jobId());
  }

  private static boolean isSourceJob(JobType type) {
    return type == JobType.BACKUP_SOURCE || type == JobType.RESTORE_SOURCE;
  }

  private boolean targetKnown(BackupCommand command) {
    return switch (command.type()) {
      // every type that works on a database needs a database target
      case BACKUP_DATABASE, RESTORE_DATABASE -> targets.database(command.target()).isPresent();
      case BACKUP_SOURCE, RESTORE_SOURCE -> targets.source(command.target()).isPresent();
      default -> true;
    };
  }

  private void ensureJobRow(BackupCommand command) {
    if (jobs.existsById(command.jobId())) {
      return;
    }
    try {
      transactions.executeWithoutResult(
          tx -> {
            Instant now = clock.instant();
            UUID backupId = command.backupId();
            BackupJob.SourceRestoreDetails restore =
                command.directory() == null
                    ? null
                    : new BackupJob.SourceRestoreDetails(
                        command.directory(), command.overwriteLiveTree());
            BackupJob job =
                command.type() == JobType.RESTORE_DATABASE && backupId != null
                    ? BackupJob.queuedRestore(
                        backupId,
                        command.jobId(),
                        command.target(),
                        new BackupJob.RestoreDetails(
                            command.database(),
                            command.terminatesConnections(),
                            command.safetyBackupWaiver()),
                        command.trigger(),
                        command.requestedBy(),
                        null,
                        props.maxAttempts(),
                        now)
                    : backupId != null && restore != null
                        ? BackupJob.queuedSourceRestore(
                            backupId,
                            command.jobId(),
                            command.target(),
                            restore,
                            command.trigger(),
                            command.requestedBy(),
                            null,
                            props.maxAttempts(),
                            now)
                        : backupId == null
                            ? BackupJob.queued(
                                command.jobId(),
                                command.type(),
                                command.target(),
                                command.trigger(),
                                command.requestedBy(),
                                null,
                                props.maxAttempts(),
                                now)
                            : BackupJob.queuedFor(
                                backupId,
                                command.jobId(),
                                command.type(),
                                command.target(),
                                command.trigger(),
                                command.requestedBy(),
                                null,
                                props.maxAttempts(),
                                now);
            if (command.drillRequested()) {
              job.asDrill();
            }
            // it came from the queue, so its command is published already
            job.markPublished(now);
            jobs.save(job);
          });
      log.info(
          "job {} created from a command without a job row ({} on '{}')",
          command.jobId(),
          command.type(),
          command.target());
    } catch (DataIntegrityViolationException e) {
      // another worker created it at the same moment; the claim decides who runs it
      log.debug("job {} was created concurrently", command.jobId());
    }
  }

  private IntakeDecision claim(UUID jobId) {
    Optional<BackupJob> claimed;
    try {
      claimed = outcomes.claim(jobId);
    } catch (DataIntegrityViolationException e) {
      // the partial unique index on lock_key: another job runs on this target
      transactions.executeWithoutResult(tx -> jobs.unpublish(jobId, clock.instant()));
      return new IntakeDecision.TargetBusy("another running job holds the target");
    }
    if (claimed.isEmpty()) {
      JobStatus status = jobs.findById(jobId).map(BackupJob::getStatus).orElse(null);
      return new IntakeDecision.Duplicate("job is " + status);
    }
    BackupJob job = claimed.get();
    return new IntakeDecision.Claimed(
        new ClaimedJob(
            job.getId(),
            job.getType(),
            job.getTarget(),
            job.getTriggerSource(),
            job.getAttempts(),
            job.getBackupId()));
  }
}
