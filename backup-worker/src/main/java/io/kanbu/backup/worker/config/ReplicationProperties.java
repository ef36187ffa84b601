package io.kanbu.backup.worker.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How copies of backups on the other storages of {@code BACKUP_STORAGE} are retried (prefix {@code
 * kanbu.replication}); application.yml maps each to its environment variable.
 *
 * @param retryPause the pause before the first retry of a copy that failed ({@code
 *     BACKUP_REPLICATION_RETRY_PAUSE}); doubled after each further failure, at most 6 hours
 * @param retryInterval how often a worker looks for copies due for another attempt ({@code
 *     BACKUP_REPLICATION_RETRY_INTERVAL})
 */
@ConfigurationProperties("kanbu.replication")
public record ReplicationProperties(
    @DefaultValue("1m") Duration retryPause, @DefaultValue("30s") Duration retryInterval) {

  public ReplicationProperties {
    if (retryPause.isNegative() || retryPause.isZero()) {
      throw new IllegalArgumentException(
          "BACKUP_REPLICATION_RETRY_PAUSE is " + retryPause + "; set it above zero, e.g. 1m");
    }
    if (retryInterval.isNegative() || retryInterval.isZero()) {
      throw new IllegalArgumentException(
          "BACKUP_REPLICATION_RETRY_INTERVAL is "
              + retryInterval
              + "; set it above zero, e.g. 30s");
    }
  }
}
