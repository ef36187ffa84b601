package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Renews the lease of a running job at {@code BACKUP_LEASE_RENEWAL_INTERVAL} until the returned
 * handle is closed, so the reaper leaves a long job alone, and reports the job's progress through
 * {@link JobProgressReporter} meanwhile.
 */
@Component
public class JobLeaseKeeper implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(JobLeaseKeeper.class);

  private final BackupJobRepository jobs;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;
  private final PipelineMetrics pipeline;
  private final JobProgressReporter reporter;
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("lease-keeper").daemon(true).factory());

  public JobLeaseKeeper(
      BackupJobRepository jobs,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props,
      PipelineMetrics pipeline,
      JobProgressReporter reporter) {
    this.jobs = jobs;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
    this.pipeline = pipeline;
    this.reporter = reporter;
  }

  /**
   * Renewal of one job's lease, with the job's progress; closing stops both (idempotent) after
   * writing the job's last byte count.
   */
  public interface Renewal extends AutoCloseable {
    /** Where the job is; its runner moves it through its stages. */
    JobProgress progress();

    @Override
    void close();
  }

  /**
   * Renews the job's lease every {@code leaseRenewalInterval} until closed, and reports its
   * progress: a backup's bytes are the source bytes its pipeline reads, other jobs' the bytes they
   * read through {@link JobProgress#counting}.
   */
  public Renewal keep(ClaimedJob job) {
    long interval = props.leaseRenewalInterval().toMillis();
    String kind = pipelineKind(job);
    JobProgress progress =
        reporter.start(
            job.id(), kind == null ? null : () -> pipeline.totalRead(kind, job.target()));
    ScheduledFuture<?> task =
        renewals.scheduleAtFixedRate(() -> renew(job), interval, interval, TimeUnit.MILLISECONDS);
    return new Renewal() {
      @Override
      public JobProgress progress() {
        return progress;
      }

      @Override
      public void close() {
        task.cancel(false);
        reporter.stop(progress);
      }
    };
  }

  /** The pipeline kind whose bytes a job reads, or null for jobs that make no backup. */
  private static @Nullable String pipelineKind(ClaimedJob job) {
    return switch (job.type()) {
      case BACKUP_DATABASE -> "database";
      case BACKUP_SOURCE -> "source";
      default -> null;
    };
  }

  private void renew(ClaimedJob job) {
    // this thread serves every job of the worker: the job's id for the lines about its lease
    MDC.put("jobId", job.id().toString());
    try {
      Instant now = clock.instant();
      Integer renewed =
          transactions.execute(
              tx ->
                  jobs.renewLease(
                      job.id(), props.workerId(), now.plus(props.leaseDuration()), now));
      if (renewed == null || renewed == 0) {
        log.warn("job {}: lease could not be renewed, another worker may own the job", job.id());
      }
    } catch (RuntimeException e) {
      log.warn("job {}: lease renewal failed: {}; retrying", job.id(), e.toString());
    } finally {
      MDC.remove("jobId");
    }
  }

  @Override
  public void destroy() {
    renewals.shutdownNow();
  }
}
