package io.kanbu.backup.model.enqueue;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.catalog.ScheduleFiring;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.FiringTrigger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires a schedule once: claims the firing in the catalog and, if this caller won the claim,
 * creates the firing's jobs in the same transaction through {@link JobEnqueuer}. The claim is an
 * {@code INSERT … ON CONFLICT DO NOTHING} on the firing's unique key (schedule, fire time), so of
 * any number of scheduler replicas firing the same time exactly one creates jobs. A schedule with a
 * job of an earlier firing still queued or running does not start another: the firing is recorded
 * as skipped, naming that job. Used by the scheduler for due fire times and by the gateway for
 * run-now.
 */
public final class ScheduleFirer {

  private final BackupScheduleRepository schedules;
  private final ScheduleFiringRepository firings;
  private final BackupRecordRepository backups;
  private final JobEnqueuer enqueuer;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final int maxAttempts;

  /**
   * @param maxAttempts how many times a scheduled job is started before a lost worker fails it
   */
  public ScheduleFirer(
      BackupScheduleRepository schedules,
      ScheduleFiringRepository firings,
      BackupRecordRepository backups,
      JobEnqueuer enqueuer,
      TransactionTemplate transactions,
      Clock clock,
      int maxAttempts) {
    this.schedules = schedules;
    this.firings = firings;
    this.backups = backups;
    this.enqueuer = enqueuer;
    this.transactions = transactions;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /**
   * What one firing attempt did.
   *
   * @param claimed false if another claimer had this firing (nothing was done here)
   * @param firingId the firing's row (when claimed)
   * @param fireTime the fire time claimed
   * @param outcome what became of it (when claimed)
   * @param detail why, in one line
   * @param jobs the jobs created, to publish once the transaction committed; empty unless {@link
   *     FiringOutcome#JOB_CREATED}
   */
  public record Fired(
      boolean claimed,
      UUID firingId,
      Instant fireTime,
      FiringOutcome outcome,
      String detail,
      List<BackupJob> jobs) {

    public Fired {
      jobs = List.copyOf(jobs);
    }

    public List<UUID> jobIds() {
      return jobs.stream().map(BackupJob::getId).toList();
    }
  }

  /**
   * Fires {@code schedule} for {@code fireTime}, within the caller's transaction if there is one.
   * The caller calls {@link #publish} after the commit.
   *
   * @param claimedBy the replica or caller, recorded with the firing
   */
  public Fired fire(
      BackupSchedule schedule, Instant fireTime, FiringTrigger trigger, String claimedBy) {
    Fired fired =
        transactions.execute(
            tx -> {
              Instant now = clock.instant();
              UUID firingId = UUID.randomUUID();
              if (schedules.findForUpdate(schedule.getId()).isEmpty()) {
                return new Fired(
                    false,
                    firingId,
                    fireTime,
                    FiringOutcome.SKIPPED_NOTHING_TO_DO,
                    "schedule '" + schedule.getName() + "' was deleted",
                    List.of());
              }
              List<UUID> active = firings.findActiveJobIds(schedule.getId());
              FiringOutcome outcome;
              String detail;
              List<BackupJob> created = List.of();
              if (!active.isEmpty()) {
                outcome = FiringOutcome.SKIPPED_PREVIOUS_ACTIVE;
                detail =
                    "job "
                        + active.getFirst()
                        + " of an earlier firing is still queued or running; one job of a schedule"
                        + " runs at a time";
              } else {
                Jobs jobs = jobsFor(schedule, firingId, now);
                created = jobs.jobs();
                outcome =
                    created.isEmpty()
                        ? FiringOutcome.SKIPPED_NOTHING_TO_DO
                        : FiringOutcome.JOB_CREATED;
                detail = jobs.detail();
              }
              if (!claim(firingId, schedule, fireTime, trigger, outcome, detail, claimedBy, now)) {
                return new Fired(false, firingId, fireTime, outcome, detail, List.of());
              }
              enqueuer.insert(created);
              return new Fired(true, firingId, fireTime, outcome, detail, created);
            });
    return Objects.requireNonNull(fired, "fired");
  }

  /**
   * Records a fire time that no scheduler handled in time, unless one is recorded already.
   *
   * @param outcome {@link FiringOutcome#COALESCED} or {@link FiringOutcome#MISSED}
   * @return true if this caller recorded it
   */
  public boolean recordMissed(
      BackupSchedule schedule,
      Instant fireTime,
      FiringOutcome outcome,
      String detail,
      String claimedBy) {
    if (outcome != FiringOutcome.COALESCED && outcome != FiringOutcome.MISSED) {
      throw new IllegalArgumentException("not an outcome of a missed firing: " + outcome);
    }
    Boolean recorded =
        transactions.execute(
            tx ->
                claim(
                    UUID.randomUUID(),
                    schedule,
                    fireTime,
                    FiringTrigger.CRON,
                    outcome,
                    detail,
                    claimedBy,
                    clock.instant()));
    return Boolean.TRUE.equals(recorded);
  }

  /** Publishes the commands of a committed firing's jobs. */
  public void publish(Fired fired, BackupSchedule schedule) {
    enqueuer.publish(
        fired.jobs(),
        job ->
            job.getType()
                + (job.getBackupId() == null ? "" : " of backup " + job.getBackupId())
                + (job.isDrill() ? " (restore drill)" : "")
                + " on '"
                + job.getTarget()
                + "' by schedule '"
                + schedule.getName()
                + "' (fire time "
                + fired.fireTime()
                + ")");
  }

  /** Fires the schedule now, outside its timing, and publishes what it created. */
  public Fired runNow(BackupSchedule schedule, String requestedBy) {
    Fired fired =
        fire(schedule, clock.instant(), FiringTrigger.MANUAL, "run-now by " + requestedBy);
    publish(fired, schedule);
    return fired;
  }

  private boolean claim(
      UUID firingId,
      BackupSchedule schedule,
      Instant fireTime,
      FiringTrigger trigger,
      FiringOutcome outcome,
      String detail,
      String claimedBy,
      Instant now) {
    return firings.claim(
            firingId,
            schedule.getId(),
            fireTime,
            trigger.name(),
            outcome.name(),
            ScheduleFiring.boundedDetail(detail),
            claimedBy,
            now)
        == 1;
  }

  /** The jobs of one firing, or none and why. */
  private record Jobs(List<BackupJob> jobs, String detail) {}

  private Jobs jobsFor(BackupSchedule schedule, UUID firingId, Instant now) {
    String target = schedule.getTarget();
    String requestedBy = "schedule '" + schedule.getName() + "'";
    List<BackupJob> created = new ArrayList<>();
    switch (schedule.getJobKind()) {
      case DATABASE, SOURCE, ALL -> {
        List<JobType> types =
            switch (schedule.getJobKind()) {
              case DATABASE -> List.of(JobType.BACKUP_DATABASE);
              case SOURCE -> List.of(JobType.BACKUP_SOURCE);
              default -> List.of(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE);
            };
        created.addAll(
            JobEnqueuer.backupJobs(
                types, target, TriggerSource.SCHEDULE, requestedBy, null, maxAttempts, now));
      }
      case VERIFY -> {
        for (BackupKind kind : BackupKind.values()) {
          newest(target, kind).ifPresent(b -> created.add(verifyJob(b, target, requestedBy, now)));
        }
        if (created.isEmpty()) {
          return new Jobs(
              List.of(), "target '" + target + "' has no available backup to verify yet");
        }
      }
      case RESTORE_DRILL -> {
        Optional<BackupRecord> newest = newest(target, BackupKind.DATABASE);
        if (newest.isEmpty()) {
          return new Jobs(
              List.of(), "target '" + target + "' has no available database backup to drill yet");
        }
        created.add(verifyJob(newest.get(), target, requestedBy, now).asDrill());
      }
      case PRUNE ->
          created.add(
              BackupJob.queued(
                  UUID.randomUUID(),
                  JobType.PRUNE,
                  target,
                  TriggerSource.SCHEDULE,
                  requestedBy,
                  null,
                  maxAttempts,
                  now));
    }
    created.forEach(job -> job.startedByFiring(firingId, schedule.getName()));
    return new Jobs(
        created,
        "created "
            + created.stream()
                .map(j -> j.getType() + " job " + j.getId())
                .collect(Collectors.joining(", ")));
  }

  private Optional<BackupRecord> newest(String target, BackupKind kind) {
    return backups.findFirstByTargetAndKindAndStatusOrderByCreatedAtDesc(
        target, kind, BackupStatus.AVAILABLE);
  }

  private BackupJob verifyJob(BackupRecord backup, String target, String requestedBy, Instant now) {
    return BackupJob.queuedFor(
        backup.getId(),
        UUID.randomUUID(),
        JobType.VERIFY,
        target,
        TriggerSource.SCHEDULE,
        requestedBy,
        null,
        maxAttempts,
        now);
  }
}
