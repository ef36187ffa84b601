package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.worker.config.CompressionSettings;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * How each target's backups are compressed: the worker's {@code BACKUP_COMPRESSION…}, overridden by
 * a target's {@code KANBU_TARGETS_<NAME>_COMPRESSION…}. Resolved once at startup, so a bad value
 * stops the worker with a message naming its variable.
 */
@Component
public class TargetCompression {

  private final Compression worker;
  private final Map<String, Compression> byTarget = new TreeMap<>();

  public TargetCompression(WorkerProperties worker, TargetsProperties targets) {
    this.worker = worker.compression();
    targets
        .targets()
        .forEach(
            (name, target) ->
                byTarget.put(
                    name,
                    CompressionSettings.resolve(
                        TargetRegistry.compressionSettings(name),
                        target.compression(),
                        target.compressionLevel(),
                        target.compressionThreads(),
                        this.worker)));
  }

  /** The compression of a backup of {@code target}; the worker's for a target it does not know. */
  public Compression of(String target) {
    return byTarget.getOrDefault(target, worker);
  }
}
