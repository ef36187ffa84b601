package io.kanbu.backup.model.messaging;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event {@code webhook.endpoint_disabled} (schema {@code job-event.v1.schema.json}): deliveries
 * to a webhook endpoint stopped, because it answered {@code 410 Gone} or because too many of its
 * deliveries in a row failed for good. Carries the endpoint's host, never its URL (whose path may
 * hold a token) or secret.
 */
public record WebhookEndpointDisabledEvent(
    int schemaVersion, UUID id, String type, Instant occurredAt, Data data) {

  public static final String TYPE = "webhook.endpoint_disabled";

  public WebhookEndpointDisabledEvent {
    if (schemaVersion != JobEvent.SCHEMA_VERSION) {
      throw new IllegalArgumentException("unsupported schemaVersion " + schemaVersion);
    }
    if (!TYPE.equals(type)) {
      throw new IllegalArgumentException("type is '" + type + "'; expected '" + TYPE + "'");
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(data, "data");
  }

  public static WebhookEndpointDisabledEvent of(UUID id, Instant occurredAt, Data data) {
    return new WebhookEndpointDisabledEvent(JobEvent.SCHEMA_VERSION, id, TYPE, occurredAt, data);
  }

  /**
   * @param endpointId the endpoint ({@code GET /api/v1/webhooks/{endpointId}})
   * @param host the host of its URL
   * @param description the operator's description, if any
   * @param reason why it was disabled, in one line
   * @param consecutiveFailedDeliveries deliveries that failed for good in a row
   * @param lastDeliveryId the delivery whose outcome disabled it
   */
  public record Data(
      UUID endpointId,
      String host,
      @Nullable String description,
      String reason,
      int consecutiveFailedDeliveries,
      @Nullable UUID lastDeliveryId) {

    public Data {
      Objects.requireNonNull(endpointId, "endpointId");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
