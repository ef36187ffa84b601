package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.core.webhook.WebhookSignatures;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers of an attempt, by the endpoint's format. Every format gets the Standard Webhooks
 * headers ({@code webhook-id} = the delivery id, stable across retries and replays; {@code
 * webhook-timestamp}; {@code webhook-signature} with every active secret); {@code kanbu-legacy}
 * gets the original's {@code X-Kanbu-Signature} and {@code User-Agent} instead, and {@code
 * X-Kanbu-Test: true} on a test delivery, as the original sent them.
 */
final class WebhookRequestHeaders {

  static final String USER_AGENT = "Kanbu-Backup/1.0";

  private WebhookRequestHeaders() {}

  static Map<String, String> of(WebhookEndpoint endpoint, WebhookDelivery delivery, Instant now) {
    byte[] body = delivery.getPayload().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", USER_AGENT);
    List<String> secrets = endpoint.signingSecrets(now);
    if (endpoint.getFormat() == WebhookFormat.KANBU_LEGACY) {
      if (!secrets.isEmpty()) {
        // the original signed with its one secret; during a rotation the new one signs
        headers.put(
            WebhookSignatures.LEGACY_HEADER, WebhookSignatures.legacy(body, secrets.get(0)));
      }
      if (delivery.isTest()) {
        headers.put("X-Kanbu-Test", "true");
      }
      return headers;
    }
    String id = delivery.getId().toString();
    headers.put(WebhookSignatures.ID_HEADER, id);
    headers.put(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(now.getEpochSecond()));
    if (!secrets.isEmpty()) {
      headers.put(
          WebhookSignatures.SIGNATURE_HEADER,
          WebhookSignatures.standard(
              id, now, body, secrets.stream().map(WebhookSecret::parse).toList()));
    }
    return headers;
  }
}
