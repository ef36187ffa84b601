package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Holds a {@code ?wait=} request until its job ends: woken by the catalog's announcement of the
 * job's end ({@link JobEndNotifications}), and looking at the catalog every {@code
 * kanbu.trigger.wait-poll-interval} in any case. Requests run on virtual threads, so a waiting
 * request costs a parked virtual thread and one small query per look, not a platform thread.
 */
@Component
public class JobCompletionWaiter {

  private final BackupJobRepository jobs;
  private final JobEndNotifications jobEnds;
  private final Clock clock;
  private final Duration pollInterval;

  public JobCompletionWaiter(
      BackupJobRepository jobs,
      JobEndNotifications jobEnds,
      Clock clock,
      GatewayProperties properties) {
    this.jobs = jobs;
    this.jobEnds = jobEnds;
    this.clock = clock;
    this.pollInterval = properties.trigger().waitPollInterval();
  }

  /**
   * Waits until the job is {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}, or {@code
   * maxWait} passed.
   *
   * @return the job as the catalog has it at the end of the wait
   */
  public BackupJob awaitEnd(UUID jobId, Duration maxWait) {
    Instant deadline = clock.instant().plus(maxWait);
    try (JobEndNotifications.Subscription jobEnd = jobEnds.subscribe(jobId)) {
      BackupJob job = load(jobId);
      while (!job.getStatus().isFinal()) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          break;
        }
        try {
          jobEnd.awaitAnnouncement(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        job = load(jobId);
      }
      return job;
    }
  }

  private BackupJob load(UUID jobId) {
    return jobs.findById(jobId)
        .orElseThrow(
            () -> new IllegalStateException("job '" + jobId + "' vanished from the catalog"));
  }
}
