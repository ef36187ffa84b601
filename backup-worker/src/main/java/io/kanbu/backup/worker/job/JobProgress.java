package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.storage.StorageBackend;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where one running job is: its {@link JobStage} and the bytes its current stage has read. A stage
 * change is written to the catalog at once, on the job's thread; the byte count by {@link
 * JobProgressReporter} every {@code KANBU_WORKER_PROGRESS_INTERVAL} while it grows. Both writes are
 * serialized here, so the catalog never gets a byte count older than the stage it belongs to.
 */
public final class JobProgress {

  /** Writes a job's progress to the catalog; never throws. */
  interface Writer {
    void stage(UUID jobId, JobStage stage, Instant since, long bytes, Instant now);

    void bytes(UUID jobId, long bytes, Instant now);
  }

  private final UUID jobId;
  private final Writer writer;
  private final Clock clock;
  private final AtomicLong storageRead = new AtomicLong();
  private final LongSupplier counter;
  private @Nullable JobStage stage;
  private long base;
  private Instant since = Instant.EPOCH;
  private long written;

  /**
   * @param sourceBytes a running total the job's bytes are the growth of (a backup's pipeline
   *     counter); null counts the bytes read through {@link #counting(StorageBackend)}
   */
  JobProgress(UUID jobId, @Nullable LongSupplier sourceBytes, Writer writer, Clock clock) {
    this.jobId = jobId;
    this.writer = writer;
    this.clock = clock;
    this.counter = sourceBytes == null ? storageRead::get : sourceBytes;
    this.base = counter.getAsLong();
  }

  /**
   * Moves the job to {@code next} and writes it to the catalog; a byte-counting stage counts anew.
   */
  public synchronized void enter(JobStage next) {
    Instant now = clock.instant();
    if (next.countsBytes() || stage == null) {
      base = counter.getAsLong();
      since = now;
    }
    stage = next;
    written = bytes();
    writer.stage(jobId, next, since, written, now);
  }

  /** Writes the byte count if it changed since the last write. */
  synchronized void report() {
    if (stage == null) {
      return;
    }
    long bytes = bytes();
    if (bytes != written) {
      written = bytes;
      writer.bytes(jobId, bytes, clock.instant());
    }
  }

  private long bytes() {
    return Math.max(0, counter.getAsLong() - base);
  }

  /**
   * {@code storage} as this job reads it: the bytes of every object it opens count as the job's
   * progress (when the job counts storage reads); everything else passes through.
   */
  public StorageBackend counting(StorageBackend storage) {
    return new ProgressCountingStorage(storage, storageRead, null);
  }

  /**
   * {@code storage} as this job writes a backup to it: once the first object is stored (the backup,
   * before its manifest), the job enters {@code stored}.
   */
  public StorageBackend enteringOnStored(StorageBackend storage, JobStage stored) {
    return new ProgressCountingStorage(storage, storageRead, () -> enter(stored));
  }
}
