package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.pipeline.PipelineProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Live throughput of this worker's backups: {@code
 * kanbu_backup_pipeline_read_bytes_total{type,target}} grows with every buffer the pipeline reads
 * from pg_dump or the tar writer, while the job runs, so {@code rate(...[1m])} is the throughput
 * now (the per-job totals come from {@link JobMetrics} at the end). {@code type} is the job type,
 * as in the other job metrics.
 */
@Component
public class PipelineMetrics implements PipelineProgress {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void read(String kind, String target, long bytes) {
    String key = kind + '\0' + target;
    counters.computeIfAbsent(key, k -> counter(kind, target)).increment(bytes);
    totals.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(bytes);
  }

  /**
   * Source bytes this worker's backups of {@code kind} ({@code database} or {@code source}) on
   * {@code target} have read since it started; a job's progress is the growth since its start (one
   * backup runs on a target at a time).
   */
  public long totalRead(String kind, String target) {
    AtomicLong total = totals.get(kind + '\0' + target);
    return total == null ? 0 : total.get();
  }

  private Counter counter(String kind, String target) {
    return Counter.builder("kanbu.backup.pipeline.read.bytes")
        .description("Source bytes read by running backups, updated while they run")
        .baseUnit("bytes")
        .tags("type", "source".equals(kind) ? "BACKUP_SOURCE" : "BACKUP_DATABASE", "target", target)
        .register(registry);
  }
}
