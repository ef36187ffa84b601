package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.messaging.InvalidMessageException;
import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * This worker's job metrics, taken from the end event of each job it ran (the event holds what a
 * subscriber needs, so it is what the metrics need too): {@code
 * kanbu_backup_job_duration_seconds{type,target,status}} as a histogram, and {@code
 * kanbu_backup_bytes_total{type,target,stage}} for the raw, compressed and stored bytes of backups.
 * The fleet's freshness and outcomes come from the gateway, which reads the catalog.
 */
@Component
public class JobMetrics {

  private final MeterRegistry registry;
  private final MessageCodec codec;

  public JobMetrics(MeterRegistry registry, MessageCodec codec) {
    this.registry = registry;
    this.codec = codec;
  }

  /** Records a job's end from its outbox row; other events are ignored. */
  public void jobEnded(JobEventRecord record) {
    JobEvent event;
    try {
      event = codec.decodeEvent(record.getPayload().getBytes(StandardCharsets.UTF_8));
    } catch (InvalidMessageException e) {
      return; // not a job event
    }
    JobEvent.Data data = event.data();
    String type = data.jobType().name();
    String target = data.target();
    if (data.durationMs() != null) {
      Timer.builder("kanbu.backup.job.duration")
          .description("How long jobs ran, from start to end")
          .tags("type", type, "target", target, "status", data.status().name())
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofSeconds(1))
          .maximumExpectedValue(Duration.ofHours(12))
          .register(registry)
          .record(Duration.ofMillis(data.durationMs()));
    }
    if (type.startsWith("BACKUP_")) {
      add(type, target, "raw", data.rawBytes());
      add(type, target, "compressed", data.compressedBytes());
      add(type, target, "stored", data.storedBytes());
    }
  }

  private void add(String type, String target, String stage, @Nullable Long bytes) {
    if (bytes != null) {
      Counter.builder("kanbu.backup.bytes")
          .description("Bytes of backups this worker made: raw, compressed, stored")
          .baseUnit("bytes")
          .tags("type", type, "target", target, "stage", stage)
          .register(registry)
          .increment(bytes);
    }
  }
}
