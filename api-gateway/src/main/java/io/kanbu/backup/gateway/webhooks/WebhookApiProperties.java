package io.kanbu.backup.gateway.webhooks;

import io.kanbu.backup.model.messaging.MessagingTopology;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the webhooks API needs (prefix {@code kanbu.webhooks}); the SSRF rules are the workers'
 * ({@code BACKUP_WEBHOOK_ALLOW_HTTP}, {@code BACKUP_WEBHOOK_ALLOWED_HOSTS}), so that a URL refused
 * at delivery is refused at creation already.
 *
 * @param allowHttp plain {@code http} URLs may be registered
 * @param allowedHosts hosts that may resolve to non-public addresses
 * @param secretGracePeriod how long a rotated-out secret still signs ({@code
 *     BACKUP_WEBHOOK_SECRET_GRACE}), so receivers can switch without missing a delivery
 * @param deliveriesQueue where test and replayed attempts are queued; another name only to isolate
 *     a test
 */
@ConfigurationProperties("kanbu.webhooks")
public record WebhookApiProperties(
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("24h") Duration secretGracePeriod,
    @DefaultValue(MessagingTopology.WEBHOOK_DELIVERIES_QUEUE) String deliveriesQueue) {

  public WebhookApiProperties {
    allowedHosts =
        allowedHosts == null
            ? List.of()
            : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    if (secretGracePeriod.isNegative()) {
      throw new IllegalArgumentException(
          "BACKUP_WEBHOOK_SECRET_GRACE is " + secretGracePeriod + "; set it to zero or more");
    }
  }
}
