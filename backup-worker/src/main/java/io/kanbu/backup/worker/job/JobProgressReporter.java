package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the progress of this worker's running jobs to the catalog: a job's stage when it changes,
 * and every {@code KANBU_WORKER_PROGRESS_INTERVAL} (5 s by default, at least 1 s) the bytes of
 * those whose count grew since the last write. Each write is one small UPDATE that only the job's
 * lease owner can make while it runs; a failed write is logged and never stops the job.
 */
@Component
public class JobProgressReporter implements JobProgress.Writer, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(JobProgressReporter.class);

  private final BackupJobRepository jobs;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WorkerProperties props;
  private final Set<JobProgress> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("job-progress").daemon(true).factory());

  public JobProgressReporter(
      BackupJobRepository jobs,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props) {
    this.jobs = jobs;
    this.transactions = transactions;
    this.clock = clock;
    this.props = props;
    long interval = props.progressInterval().toMillis();
    ticker.scheduleWithFixedDelay(this::reportAll, interval, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts reporting a job's progress until {@link #stop} (or its last report there).
   *
   * @param sourceBytes a running total whose growth is the job's bytes (a backup's pipeline
   *     counter); null to count what the job reads through {@link JobProgress#counting}
   */
  JobProgress start(UUID jobId, @Nullable LongSupplier sourceBytes) {
    JobProgress progress = new JobProgress(jobId, sourceBytes, this, clock);
    running.add(progress);
    return progress;
  }

  /** Writes the job's last byte count (while it still runs) and stops reporting it. */
  void stop(JobProgress progress) {
    running.remove(progress);
    progress.report();
  }

  private void reportAll() {
    running.forEach(JobProgress::report);
  }

  @Override
  public void stage(UUID jobId, JobStage stage, Instant since, long bytes, Instant now) {
    write(
        jobId,
        "stage " + stage.id(),
        () -> jobs.recordStage(jobId, props.workerId(), stage.id(), since, bytes, now));
  }

  @Override
  public void bytes(UUID jobId, long bytes, Instant now) {
    write(jobId, "progress", () -> jobs.recordProgress(jobId, props.workerId(), bytes, now));
  }

  private void write(UUID jobId, String what, java.util.function.IntSupplier update) {
    try {
      transactions.executeWithoutResult(tx -> update.getAsInt());
    } catch (RuntimeException e) {
      log.warn("job {}: unable to record its {}: {}", jobId, what, e.toString());
    }
  }

  @Override
  public void destroy() {
    ticker.shutdownNow();
  }
}
