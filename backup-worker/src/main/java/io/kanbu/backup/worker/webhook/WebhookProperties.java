package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.model.messaging.MessagingTopology;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery settings of the worker (prefix {@code kanbu.webhook}); application.yml maps each
 * to its environment variable. Checked at startup.
 *
 * @param allowHttp plain {@code http} URLs may be called ({@code BACKUP_WEBHOOK_ALLOW_HTTP})
 * @param allowedHosts hosts that may resolve to non-public addresses ({@code
 *     BACKUP_WEBHOOK_ALLOWED_HOSTS}, comma-separated)
 * @param retryScale shortens every retry delay by this factor ({@code BACKUP_WEBHOOK_RETRY_SCALE});
 *     1 in production, e.g. 0.001 in tests
 * @param maxConsecutiveFailures deliveries of an endpoint that may fail for good in a row before it
 *     is disabled ({@code BACKUP_WEBHOOK_MAX_CONSECUTIVE_FAILURES})
 * @param connectTimeout how long a connection may take
 * @param totalTimeout how long an attempt may take from start to the response's end
 * @param deliveryConcurrency attempts one worker makes at once
 * @param fanOutConcurrency events one worker fans out at once
 * @param sweepInterval how often the catalog is searched for deliveries whose message was lost
 * @param sweepGrace how overdue a delivery must be before the sweep sends it again
 * @param url the built-in endpoint ({@code BACKUP_WEBHOOK_URL}), in the original's format
 * @param secret its secret ({@code BACKUP_WEBHOOK_SECRET}); any string, as in the original
 * @param notifyOnSuccess the built-in endpoint gets successes ({@code BACKUP_NOTIFY_ON_SUCCESS})
 * @param notifyOnFailure the built-in endpoint gets failures ({@code BACKUP_NOTIFY_ON_FAILURE})
 * @param notificationsQueue the fan-out queue; another name only to isolate a test
 * @param deliveriesQueue the attempts queue; another name only to isolate a test
 * @param delayQueuePrefix the delay queues' prefix; another only to isolate a test
 * @param unusedQueueExpiry tests only: the webhook queues are deleted after this long unused
 *     ({@code x-expires}), so a test's private queues do not outlive it; null in production
 */
@ConfigurationProperties("kanbu.webhook")
public record WebhookProperties(
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("1.0") double retryScale,
    @DefaultValue("5") int maxConsecutiveFailures,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("15s") Duration totalTimeout,
    @DefaultValue("4") int deliveryConcurrency,
    @DefaultValue("2") int fanOutConcurrency,
    @DefaultValue("30s") Duration sweepInterval,
    @DefaultValue("1m") Duration sweepGrace,
    @Nullable String url,
    @Nullable String secret,
    @DefaultValue("false") boolean notifyOnSuccess,
    @DefaultValue("true") boolean notifyOnFailure,
    @DefaultValue(MessagingTopology.NOTIFICATIONS_QUEUE) String notificationsQueue,
    @DefaultValue(MessagingTopology.WEBHOOK_DELIVERIES_QUEUE) String deliveriesQueue,
    @DefaultValue(MessagingTopology.WEBHOOK_DELAY_QUEUE_PREFIX) String delayQueuePrefix,
    @Nullable Duration unusedQueueExpiry) {

  public WebhookProperties {
    allowedHosts =
        allowedHosts == null
            ? List.of()
            : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    if (!(retryScale > 0 && retryScale <= 1)) {
      throw new IllegalArgumentException(
          "BACKUP_WEBHOOK_RETRY_SCALE is " + retryScale + "; set it above 0 and at most 1");
    }
    if (maxConsecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "BACKUP_WEBHOOK_MAX_CONSECUTIVE_FAILURES is "
              + maxConsecutiveFailures
              + "; set it to at least 1");
    }
    if (deliveryConcurrency < 1 || deliveryConcurrency > 64) {
      throw new IllegalArgumentException(
          "kanbu.webhook.delivery-concurrency is " + deliveryConcurrency + "; use 1 to 64");
    }
    if (fanOutConcurrency < 1 || fanOutConcurrency > 16) {
      throw new IllegalArgumentException(
          "kanbu.webhook.fan-out-concurrency is " + fanOutConcurrency + "; use 1 to 16");
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || totalTimeout.compareTo(connectTimeout) < 0) {
      throw new IllegalArgumentException(
          "webhook timeouts: connect "
              + connectTimeout
              + ", total "
              + totalTimeout
              + "; both above zero, the total at least the connect timeout");
    }
    if (url != null && url.isBlank()) {
      url = null;
    }
    if (secret != null && secret.isEmpty()) {
      secret = null;
    }
  }

  /**
   * How long a claimed attempt may go unfinished before the sweep takes it for lost (its worker
   * died): the whole timeout and a margin for recording it.
   */
  public Duration attemptLease() {
    return totalTimeout.plus(Duration.ofSeconds(30));
  }
}
