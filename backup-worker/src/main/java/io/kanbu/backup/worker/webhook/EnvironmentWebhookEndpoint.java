package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import io.kanbu.backup.core.webhook.WebhookAddressRefusedException;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.messaging.JobEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The original Kanbu's one webhook, from the environment: {@code BACKUP_WEBHOOK_URL}, {@code
 * BACKUP_WEBHOOK_SECRET}, {@code BACKUP_NOTIFY_ON_SUCCESS} (successful backups and restores) and
 * {@code BACKUP_NOTIFY_ON_FAILURE} (failed backups, restores and verifications). It is a catalog
 * endpoint with a fixed id, format {@code kanbu-legacy} and {@code managedBy: environment}: every
 * worker brings it in step with its environment at start (set the variables alike on every worker),
 * the API shows it and its deliveries but does not change it. Without the URL, or with both notify
 * settings off, it is disabled (never deleted: its deliveries stay visible).
 */
@Component
public class EnvironmentWebhookEndpoint {

  private static final Logger log = LoggerFactory.getLogger(EnvironmentWebhookEndpoint.class);

  private final WebhookEndpointRepository endpoints;
  private final WebhookProperties props;
  private final WebhookAddressGuard guard;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public EnvironmentWebhookEndpoint(
      WebhookEndpointRepository endpoints,
      WebhookProperties props,
      WebhookAddressGuard guard,
      TransactionTemplate transactions,
      Clock clock) {
    this.endpoints = endpoints;
    this.props = props;
    this.guard = guard;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The events the environment asks for; empty when it asks for none. */
  static List<String> eventTypes(boolean onSuccess, boolean onFailure) {
    List<String> types = new ArrayList<>();
    if (onSuccess) {
      types.addAll(List.of(JobEvent.JOB_SUCCEEDED, JobEvent.RESTORE_SUCCEEDED));
    }
    if (onFailure) {
      types.addAll(List.of(JobEvent.JOB_FAILED, JobEvent.RESTORE_FAILED, JobEvent.VERIFY_FAILED));
    }
    return types;
  }

  /** Creates, updates or disables the endpoint to match the environment. */
  public void synchronize() {
    String url = props.url();
    List<String> types = eventTypes(props.notifyOnSuccess(), props.notifyOnFailure());
    if (url != null) {
      try {
        guard.check(url);
      } catch (WebhookAddressRefusedException e) {
        log.warn("BACKUP_WEBHOOK_URL will be refused at every delivery: {}", e.getMessage());
      }
    }
    try {
      transactions.executeWithoutResult(tx -> apply(url, types, clock.instant()));
    } catch (DataIntegrityViolationException e) {
      // another worker created it at the same moment; it holds the same settings
      log.debug("the environment's webhook endpoint was created by another worker");
    }
  }

  private void apply(@Nullable String url, List<String> types, Instant now) {
    WebhookEndpoint endpoint =
        endpoints.findById(WebhookEndpoint.ENVIRONMENT_ENDPOINT_ID).orElse(null);
    if (url == null || types.isEmpty()) {
      if (endpoint != null && endpoint.isEnabled()) {
        endpoint.disable(
            url == null
                ? "BACKUP_WEBHOOK_URL is not set"
                : "BACKUP_NOTIFY_ON_SUCCESS and BACKUP_NOTIFY_ON_FAILURE are both false",
            now);
        log.info("the webhook of BACKUP_WEBHOOK_URL is disabled: {}", endpoint.getDisabledReason());
      }
      return;
    }
    WebhookEventFilter filter = new WebhookEventFilter(types);
    if (endpoint == null) {
      endpoints.saveAndFlush(WebhookEndpoint.fromEnvironment(url, filter, props.secret(), now));
      log.info("webhook of BACKUP_WEBHOOK_URL created for {}", filter.asStored());
    } else if (endpoint.followEnvironment(url, filter, props.secret(), now)) {
      log.info("webhook of BACKUP_WEBHOOK_URL updated for {}", filter.asStored());
    }
  }
}
