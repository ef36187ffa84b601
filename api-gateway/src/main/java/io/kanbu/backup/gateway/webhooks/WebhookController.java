package io.kanbu.backup.gateway.webhooks;

import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import io.kanbu.backup.core.webhook.WebhookAddressRefusedException;
import io.kanbu.backup.core.webhook.WebhookSecret;
import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages;
import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.catalog.WebhookEventFilter;
import io.kanbu.backup.model.catalog.WebhookFormat;
import io.kanbu.backup.model.messaging.WebhookPayloads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions: create (the URL checked by the SSRF guard, the secret shown once), list,
 * get, update, delete, rotate the secret, send a test event, read the delivery log, replay a
 * delivery with its webhook-id. The endpoint of {@code BACKUP_WEBHOOK_URL} is shown but changed
 * only through the environment.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "webhooks", description = "Signed, retried event deliveries to subscribers")
public class WebhookController {

  private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
  private static final int MAX_URL = 2000;
  private static final int MAX_DESCRIPTION = 500;

  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final WebhookAttemptRepository attempts;
  private final ConfirmedPublisher publisher;
  private final WebhookApiProperties props;
  private final WebhookAddressGuard guard;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public WebhookController(
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      WebhookAttemptRepository attempts,
      ConfirmedPublisher publisher,
      WebhookApiProperties props,
      TransactionTemplate transactions,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.attempts = attempts;
    this.publisher = publisher;
    this.props = props;
    this.guard = WebhookAddressGuard.system(props.allowHttp(), Set.copyOf(props.allowedHosts()));
    this.transactions = transactions;
    this.clock = clock;
  }

  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Subscribe an endpoint to events",
      description =
          "url (https; its host must resolve to public addresses unless allowed), description,"
              + " events (patterns such as job.failed, job.*, *; default *), format (standard,"
              + " slack, discord, kanbu-legacy; default standard). The answer carries the signing"
              + " secret, shown this once.")
  @ApiResponse(responseCode = "201", description = "Created; the secret is in the answer")
  @ApiResponse(responseCode = "400", description = "A field is invalid or the URL is refused")
  public ResponseEntity<WebhookView.WithSecret> create(@RequestBody WebhookBody body) {
    if (body.url() == null || body.url().isBlank()) {
      throw ApiProblemException.badRequest("url", "'url' is required: where deliveries go");
    }
    String url = checkedUrl(body.url());
    WebhookEventFilter filter = filter(body.events() == null ? List.of("*") : body.events());
    WebhookFormat format = format(body.format() == null ? "standard" : body.format());
    String description = description(body.description());
    WebhookSecret secret = WebhookSecret.generate();
    WebhookEndpoint created =
        endpoints.saveAndFlush(
            WebhookEndpoint.create(
                UUID.randomUUID(),
                url,
                description,
                filter,
                format,
                secret.reveal(),
                clock.instant()));
    if (Boolean.FALSE.equals(body.enabled())) {
      created.disable("disabled by an operator", clock.instant());
      created = endpoints.saveAndFlush(created);
    }
    log.info("{} created for {}", created, filter.asStored());
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.getId()))
        .body(new WebhookView.WithSecret(WebhookView.of(created), secret.reveal()));
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Every webhook endpoint, oldest first (no secrets)")
  public List<WebhookView> list() {
    return endpoints.findAllByOrderByCreatedAt().stream().map(WebhookView::of).toList();
  }

  @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "One webhook endpoint (no secrets)")
  @ApiResponse(responseCode = "404", description = "No such endpoint")
  public WebhookView get(@PathVariable UUID id) {
    return WebhookView.of(find(id));
  }

  @PutMapping(
      path = "/{id}",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Change an endpoint",
      description =
          "Fields given replace the current ones; enabled: true starts deliveries again and"
              + " forgets past failures, false stops them.")
  @ApiResponse(responseCode = "400", description = "A field is invalid or the URL is refused")
  @ApiResponse(responseCode = "409", description = "The endpoint of BACKUP_WEBHOOK_URL")
  public WebhookView update(@PathVariable UUID id, @RequestBody WebhookBody body) {
    String url = body.url() == null ? null : checkedUrl(body.url());
    WebhookEventFilter filter = body.events() == null ? null : filter(body.events());
    WebhookFormat format = body.format() == null ? null : format(body.format());
    // "" clears the description; absent keeps it
    String description =
        body.description() == null
            ? null
            : Objects.requireNonNullElse(description(body.description()), "");
    WebhookEndpoint updated =
        transactions.execute(
            tx -> {
              WebhookEndpoint endpoint = changeable(id);
              Instant now = clock.instant();
              endpoint.update(url, description, filter, format, now);
              if (Boolean.TRUE.equals(body.enabled()) && !endpoint.isEnabled()) {
                endpoint.enable(now);
              } else if (Boolean.FALSE.equals(body.enabled()) && endpoint.isEnabled()) {
                endpoint.disable("disabled by an operator", now);
              }
              return endpoint;
            });
    return WebhookView.of(Objects.requireNonNull(updated));
  }

  @DeleteMapping(path = "/{id}")
  @Operation(summary = "Delete an endpoint and its delivery log")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "409", description = "The endpoint of BACKUP_WEBHOOK_URL")
  public ResponseEntity<Void> delete(@PathVariable UUID id) {
    transactions.executeWithoutResult(tx -> endpoints.delete(changeable(id)));
    return ResponseEntity.noContent().build();
  }

  @PostMapping(path = "/{id}/rotate-secret", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Replace the signing secret",
      description =
          "The new secret is shown this once. During the grace period (BACKUP_WEBHOOK_SECRET_GRACE,"
              + " default 24 h) every delivery carries two signatures, one per secret, so a"
              + " receiver can switch at its own pace.")
  @ApiResponse(responseCode = "409", description = "The endpoint of BACKUP_WEBHOOK_URL")
  public WebhookView.WithSecret rotateSecret(@PathVariable UUID id) {
    WebhookSecret secret = WebhookSecret.generate();
    WebhookEndpoint rotated =
        transactions.execute(
            tx -> {
              WebhookEndpoint endpoint = changeable(id);
              Instant now = clock.instant();
              endpoint.rotateSecret(secret.reveal(), now.plus(props.secretGracePeriod()), now);
              return endpoint;
            });
    return new WebhookView.WithSecret(
        WebhookView.of(Objects.requireNonNull(rotated)), secret.reveal());
  }

  @PostMapping(path = "/{id}/test", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Send a test event (type webhook.test) to the endpoint",
      description =
          "Queued like any delivery, tried once (no retries, never counted against the"
              + " endpoint); follow it in the delivery log.")
  @ApiResponse(responseCode = "202", description = "Queued")
  @ApiResponse(responseCode = "409", description = "The endpoint is disabled")
  public ResponseEntity<WebhookView.Queued> test(@PathVariable UUID id) {
    WebhookEndpoint endpoint = find(id);
    if (!endpoint.isEnabled()) {
      throw conflict(
          "endpoint disabled",
          "webhook endpoint '"
              + id
              + "' is disabled ("
              + endpoint.getDisabledReason()
              + "); enable it with PUT /api/v1/webhooks/"
              + id
              + " {\"enabled\":true} first");
    }
    Instant now = clock.instant();
    UUID eventId = UUID.randomUUID();
    byte[] body =
        WebhookPayloads.render(
            endpoint.getFormat(), WebhookPayloads.testEvent(eventId, endpoint.getId(), now));
    WebhookDelivery delivery =
        deliveries.saveAndFlush(
            new WebhookDelivery(
                UUID.randomUUID(),
                endpoint.getId(),
                eventId,
                WebhookPayloads.TEST_EVENT_TYPE,
                WebhookPayloads.asText(body),
                true,
                now));
    return queue(new WebhookDeliveryMessages.Attempt(delivery.getId(), 1), id);
  }

  @GetMapping(path = "/{id}/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "The newest deliveries of an endpoint, each with its attempts")
  public List<WebhookView.Delivery> deliveries(
      @PathVariable UUID id, @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      throw ApiProblemException.badRequest("limit", "'limit' must be 1 to 500, was " + limit);
    }
    find(id);
    List<WebhookDelivery> newest =
        deliveries.findByEndpointIdOrderByCreatedAtDesc(id, PageRequest.of(0, limit));
    Map<UUID, List<WebhookAttempt>> byDelivery =
        attempts
            .findByDeliveryIdInOrderByAttempt(newest.stream().map(WebhookDelivery::getId).toList())
            .stream()
            .collect(Collectors.groupingBy(WebhookAttempt::getDeliveryId));
    return newest.stream()
        .map(d -> WebhookView.Delivery.of(d, byDelivery.getOrDefault(d.getId(), List.of())))
        .toList();
  }

  @PostMapping(
      path = "/{id}/deliveries/{deliveryId}/replay",
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Send a delivery again",
      description =
          "Same body and webhook-id (receivers deduplicate on it), a fresh round of retries.")
  @ApiResponse(responseCode = "202", description = "Queued")
  @ApiResponse(responseCode = "404", description = "No such delivery of this endpoint")
  @ApiResponse(responseCode = "409", description = "It is still being delivered")
  public ResponseEntity<WebhookView.Queued> replay(
      @PathVariable UUID id, @PathVariable UUID deliveryId) {
    WebhookDeliveryMessages.Attempt attempt =
        transactions.execute(
            tx -> {
              WebhookDelivery delivery =
                  deliveries
                      .findById(deliveryId)
                      .filter(d -> d.getEndpointId().equals(id))
                      .orElseThrow(
                          () ->
                              ApiProblemException.notFound(
                                  "delivery not found",
                                  "webhook endpoint '"
                                      + id
                                      + "' has no delivery '"
                                      + deliveryId
                                      + "'; list them with GET /api/v1/webhooks/"
                                      + id
                                      + "/deliveries"));
              if (delivery.getStatus() == WebhookDelivery.Status.PENDING) {
                throw conflict(
                    "delivery pending",
                    "delivery '"
                        + deliveryId
                        + "' is still being delivered (attempt "
                        + delivery.getAttempts()
                        + " made); replay it once it has been delivered or has failed");
              }
              delivery.replay(clock.instant());
              return new WebhookDeliveryMessages.Attempt(deliveryId, delivery.getAttempts() + 1);
            });
    return queue(Objects.requireNonNull(attempt), id);
  }

  private ResponseEntity<WebhookView.Queued> queue(
      WebhookDeliveryMessages.Attempt attempt, UUID endpointId) {
    if (!publisher.publish("", props.deliveriesQueue(), WebhookDeliveryMessages.of(attempt))) {
      // the delivery is in the catalog, due now: a worker's sweep sends it
      log.warn(
          "delivery {} not queued (broker away, or no worker declared '{}'); a worker's sweep"
              + " will send it",
          attempt.deliveryId(),
          props.deliveriesQueue());
    }
    String url = "/api/v1/webhooks/" + endpointId + "/deliveries";
    return ResponseEntity.accepted()
        .body(new WebhookView.Queued(attempt.deliveryId(), attempt.attempt(), url));
  }

  private WebhookEndpoint find(UUID id) {
    return endpoints
        .findById(id)
        .orElseThrow(
            () ->
                ApiProblemException.notFound(
                    "webhook not found",
                    "webhook endpoint '"
                        + id
                        + "' does not exist; list them with GET"
                        + " /api/v1/webhooks"));
  }

  private WebhookEndpoint changeable(UUID id) {
    WebhookEndpoint endpoint = find(id);
    if (endpoint.isManagedByEnvironment()) {
      throw conflict(
          "managed by the environment",
          "webhook endpoint '"
              + id
              + "' is BACKUP_WEBHOOK_URL's; change BACKUP_WEBHOOK_URL, BACKUP_WEBHOOK_SECRET,"
              + " BACKUP_NOTIFY_ON_SUCCESS or BACKUP_NOTIFY_ON_FAILURE on the workers instead");
    }
    return endpoint;
  }

  private String checkedUrl(String url) {
    if (url.length() > MAX_URL) {
      throw ApiProblemException.badRequest(
          "url", "'url' is longer than " + MAX_URL + " characters");
    }
    try {
      guard.check(url);
    } catch (WebhookAddressRefusedException e) {
      throw ApiProblemException.badRequest("url", e.getMessage());
    }
    return url.strip();
  }

  private static WebhookEventFilter filter(List<String> events) {
    try {
      return new WebhookEventFilter(events);
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest("events", e.getMessage());
    }
  }

  private static WebhookFormat format(String format) {
    try {
      return WebhookFormat.fromWireName(format);
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest("format", e.getMessage());
    }
  }

  private static @Nullable String description(@Nullable String description) {
    if (description == null || description.isBlank()) {
      return null;
    }
    if (description.length() > MAX_DESCRIPTION) {
      throw ApiProblemException.badRequest(
          "description", "'description' is longer than " + MAX_DESCRIPTION + " characters");
    }
    return description.strip();
  }

  private static ApiProblemException conflict(String title, String detail) {
    return new ApiProblemException(HttpStatus.CONFLICT, title, detail, null);
  }
}
