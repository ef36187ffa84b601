package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the job of a trigger: inserts the row ({@code QUEUED}, the outbox of its command), and
 * once that committed publishes the command with confirms. If the broker is away the job stays
 * unpublished and {@link CommandOutboxRelay#relayPending()} publishes it later, so an accepted
 * trigger is never lost. A repeated idempotency key returns the job it created first; the unique
 * constraint on the key settles concurrent repeats.
 */
@Component
public class JobSubmitter {

  private static final Logger log = LoggerFactory.getLogger(JobSubmitter.class);

  private final BackupJobRepository jobs;
  private final CommandOutboxRelay relay;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final int maxAttempts;

  public JobSubmitter(
      BackupJobRepository jobs,
      CommandOutboxRelay relay,
      TransactionTemplate transactions,
      Clock clock,
      GatewayProperties properties) {
    this.jobs = jobs;
    this.relay = relay;
    this.transactions = transactions;
    this.clock = clock;
    this.maxAttempts = properties.trigger().maxAttempts();
  }

  /**
   * The outcome of a trigger.
   *
   * @param job the job that runs the request
   * @param replayed true if an earlier request with the same idempotency key created it
   */
  public record Submission(BackupJob job, boolean replayed) {}

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
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(),
            request.type(),
            request.target(),
            TriggerSource.API,
            requestedBy,
            idempotencyKey,
            maxAttempts,
            clock.instant());
    try {
      transactions.executeWithoutResult(tx -> jobs.saveAndFlush(job));
    } catch (DataIntegrityViolationException e) {
      if (idempotencyKey == null) {
        throw e;
      }
      // A concurrent request with the same key committed first: answer with its job.
      BackupJob winner = jobs.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e);
      return replay(winner, request, idempotencyKey);
    }
    if (relay.publish(job)) {
      log.info(
          "job {} queued: {} on '{}' requested by '{}'",
          job.getId(),
          job.getType(),
          job.getTarget(),
          requestedBy);
    } else {
      log.warn(
          "job {} accepted but its command is not confirmed by the broker yet; the outbox relay"
              + " will publish it",
          job.getId());
    }
    return new Submission(job, false);
  }

  /**
   * Creates and publishes a {@code VERIFY} job for one backup. It takes no target lock, so it runs
   * beside backups of the same target.
   */
  public BackupJob submitVerify(UUID backupId, String target, String requestedBy) {
    BackupJob job =
        BackupJob.queuedFor(
            backupId,
            UUID.randomUUID(),
            JobType.VERIFY,
            target,
            TriggerSource.API,
            requestedBy,
            null,
            maxAttempts,
            clock.instant());
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(job));
    if (relay.publish(job)) {
      log.info(
          "job {} queued: VERIFY of backup {} requested by '{}'",
          job.getId(),
          backupId,
          requestedBy);
    } else {
      log.warn(
          "job {} (VERIFY of backup {}) accepted but not confirmed by the broker yet; the outbox"
              + " relay will publish it",
          job.getId(),
          backupId);
    }
    return job;
  }

  private static Submission replay(BackupJob earlier, TriggerRequest request, String key) {
    if (earlier.getType() != request.type() || !earlier.getTarget().equals(request.target())) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          "idempotency key reused",
          "idempotency key '"
              + key
              + "' was already used for job '"
              + earlier.getId()
              + "' ("
              + earlier.getType()
              + " on '"
              + earlier.getTarget()
              + "'); send a new key for a different request",
          TriggerRequestParser.IDEMPOTENCY_KEY_HEADER);
    }
    return new Submission(earlier, true);
  }
}
