package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.RetrySchedule;
import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import io.kanbu.backup.core.webhook.WebhookAddressRefusedException;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages;
import io.kanbu.backup.model.amqp.WebhookDeliveryMessages.Attempt;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.WebhookAttempt;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDelivery;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpoint;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.WebhookEndpointDisabledEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the attempt a delivery message stands for: claims it in the catalog (a duplicate message,
 * or one for an attempt already made, is dropped; one that came back from a delay queue before its
 * delivery is due is parked again), checks the URL with the SSRF guard, signs and sends, records
 * the attempt, and decides: delivered (2xx); endpoint disabled (410); another attempt through a
 * delay queue (timeouts, connection errors, 408, 429 and 5xx, honouring {@code Retry-After}) until
 * the retry schedule gives up; or failed (any other answer, a refused address). A delivery that
 * fails for good counts against its endpoint, which is disabled after {@code
 * BACKUP_WEBHOOK_MAX_CONSECUTIVE_FAILURES} of them in a row, with a {@code
 * webhook.endpoint_disabled} event. A test delivery is tried once and never counts.
 */
@Component
public class WebhookDeliverer {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

  private final WebhookDeliveryRepository deliveries;
  private final WebhookEndpointRepository endpoints;
  private final WebhookAttemptRepository attempts;
  private final JobEventRecordRepository events;
  private final EventOutboxRelay eventRelay;
  private final MessageCodec codec;
  private final WebhookAddressGuard guard;
  private final WebhookSender sender;
  private final RetrySchedule schedule;
  private final WebhookDelayQueues queues;
  private final WebhookProperties props;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final WebhookMetrics metrics;

  public WebhookDeliverer(
      WebhookDeliveryRepository deliveries,
      WebhookEndpointRepository endpoints,
      WebhookAttemptRepository attempts,
      JobEventRecordRepository events,
      EventOutboxRelay eventRelay,
      MessageCodec codec,
      WebhookAddressGuard guard,
      WebhookSender sender,
      RetrySchedule schedule,
      WebhookDelayQueues queues,
      WebhookProperties props,
      TransactionTemplate transactions,
      Clock clock,
      WebhookMetrics metrics) {
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.attempts = attempts;
    this.events = events;
    this.eventRelay = eventRelay;
    this.codec = codec;
    this.guard = guard;
    this.sender = sender;
    this.schedule = schedule;
    this.queues = queues;
    this.props = props;
    this.transactions = transactions;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The listener of the deliveries queue. */
  public void onMessage(Message message) {
    Attempt attempt;
    try {
      attempt = WebhookDeliveryMessages.read(message);
    } catch (IllegalArgumentException e) {
      log.warn("dropped a message on the webhook deliveries queue: {}", e.getMessage());
      return;
    }
    attempt(attempt);
  }

  /** What the catalog says to do with a message. */
  private sealed interface Step {}

  private record Drop(String why) implements Step {}

  private record Park(Duration remaining) implements Step {}

  private record Send(WebhookEndpoint endpoint, WebhookDelivery delivery) implements Step {}

  /**
   * What came of a sent attempt, for after the commit.
   *
   * @param outcome for the metrics; null when the delivery had moved on meanwhile
   */
  private record Settled(
      WebhookMetrics.@Nullable Outcome outcome,
      @Nullable Duration retryIn,
      @Nullable JobEventRecord disabledEvent) {

    static final Settled MOVED_ON = new Settled(null, null, null);

    static Settled failed(@Nullable JobEventRecord disabledEvent) {
      return new Settled(WebhookMetrics.Outcome.FAILED, null, disabledEvent);
    }
  }

  void attempt(Attempt attempt) {
    Instant now = clock.instant();
    Step step = Objects.requireNonNull(transactions.execute(tx -> claim(attempt, now)));
    switch (step) {
      case Drop drop ->
          log.debug(
              "delivery {} attempt {} not made: {}",
              attempt.deliveryId(),
              attempt.attempt(),
              drop.why());
      case Park park -> queues.park(attempt, park.remaining());
      case Send send -> {
        JobEventRecord event = events.findById(send.delivery().getEventId()).orElse(null);
        // the job's id on every line about its event's delivery: one id finds everything
        try (MDC.MDCCloseable jobId =
            event == null || event.getJobId() == null
                ? null
                : MDC.putCloseable("jobId", event.getJobId().toString())) {
          send(attempt, send.endpoint(), send.delivery(), now, event);
        }
      }
    }
  }

  private Step claim(Attempt attempt, Instant now) {
    WebhookDelivery delivery = deliveries.findById(attempt.deliveryId()).orElse(null);
    if (delivery == null) {
      return new Drop("no such delivery in the catalog");
    }
    if (delivery.getStatus() != WebhookDelivery.Status.PENDING) {
      return new Drop("it is " + delivery.getStatus());
    }
    if (delivery.getAttempts() != attempt.attempt() - 1) {
      return new Drop("the delivery is at attempt " + delivery.getAttempts() + " (a duplicate)");
    }
    Instant due = delivery.getNextAttemptAt();
    if (due != null && due.isAfter(now.plus(WebhookDelayQueues.DUE_TOLERANCE))) {
      return new Park(Duration.between(now, due));
    }
    WebhookEndpoint endpoint = endpoints.findById(delivery.getEndpointId()).orElse(null);
    if (deliveries.claimAttempt(
            attempt.deliveryId(), attempt.attempt(), now, now.plus(props.attemptLease()))
        != 1) {
      return new Drop("another worker claimed it");
    }
    if (endpoint == null || !endpoint.isEnabled()) {
      String why =
          endpoint == null
              ? "not sent: the endpoint was deleted"
              : "not sent: the endpoint is disabled (" + endpoint.getDisabledReason() + ")";
      attempts.save(
          new WebhookAttempt(attempt.deliveryId(), attempt.attempt(), now, null, 0, null, why));
      deliveries.findById(attempt.deliveryId()).ifPresent(WebhookDelivery::failed);
      return new Drop(why);
    }
    return new Send(endpoint, delivery);
  }

  private void send(
      Attempt attempt,
      WebhookEndpoint endpoint,
      WebhookDelivery delivery,
      Instant now,
      @Nullable JobEventRecord event) {
    WebhookSender.Response response;
    boolean refusedForGood = false;
    try {
      WebhookAddressGuard.CheckedUrl target = guard.check(endpoint.getUrl());
      Map<String, String> headers = WebhookRequestHeaders.of(endpoint, delivery, now);
      response =
          sender.post(target, headers, delivery.getPayload().getBytes(StandardCharsets.UTF_8));
    } catch (WebhookAddressRefusedException e) {
      refusedForGood = !e.isUnresolved();
      response = new WebhookSender.Response(null, 0, null, null, "refused: " + e.getMessage());
    }
    WebhookSender.Response outcome = response;
    boolean permanent = refusedForGood;
    Settled settled =
        transactions.execute(tx -> settle(attempt, endpoint.getId(), now, outcome, permanent));
    log.info(
        "webhook delivery {} ({}) to endpoint {} attempt {}: {}",
        attempt.deliveryId(),
        delivery.getEventType(),
        endpoint,
        attempt.attempt(),
        outcome.status() != null ? "HTTP " + outcome.status() : outcome.error());
    if (settled == null) {
      return;
    }
    if (settled.outcome() == WebhookMetrics.Outcome.DELIVERED) {
      Instant eventAt = event == null ? delivery.getCreatedAt() : event.getCreatedAt();
      metrics.delivered(Duration.between(eventAt, clock.instant()));
    } else if (settled.outcome() != null) {
      metrics.attempted(settled.outcome());
    }
    if (settled.retryIn() != null) {
      queues.park(new Attempt(attempt.deliveryId(), attempt.attempt() + 1), settled.retryIn());
    }
    if (settled.disabledEvent() != null) {
      eventRelay.publish(settled.disabledEvent());
    }
  }

  private Settled settle(
      Attempt attempt,
      UUID endpointId,
      Instant attemptedAt,
      WebhookSender.Response response,
      boolean refusedForGood) {
    attempts.save(
        new WebhookAttempt(
            attempt.deliveryId(),
            attempt.attempt(),
            attemptedAt,
            response.status(),
            response.latencyMs(),
            response.excerpt(),
            response.error()));
    WebhookDelivery delivery = deliveries.findById(attempt.deliveryId()).orElse(null);
    if (delivery == null
        || delivery.getStatus() != WebhookDelivery.Status.PENDING
        || delivery.getAttempts() != attempt.attempt()) {
      return Settled.MOVED_ON; // replayed, or deleted with its endpoint, meanwhile
    }
    WebhookEndpoint endpoint = endpoints.lockById(endpointId).orElse(null);
    Instant now = clock.instant();
    if (response.succeeded()) {
      delivery.delivered();
      if (endpoint != null && !delivery.isTest()) {
        endpoint.recordDelivered();
      }
      return new Settled(WebhookMetrics.Outcome.DELIVERED, null, null);
    }
    Integer status = response.status();
    if (status != null && status == 410) {
      delivery.failed();
      return Settled.failed(disable(endpoint, "it answered 410 Gone", delivery.getId(), now));
    }
    boolean retryable =
        !refusedForGood && (status == null || status == 408 || status == 429 || status >= 500);
    if (retryable && !delivery.isTest()) {
      Instant firstAttempt =
          delivery.getFirstAttemptAt() == null ? attemptedAt : delivery.getFirstAttemptAt();
      Optional<Duration> delay =
          schedule.nextDelay(
              delivery.attemptsThisRound(),
              firstAttempt,
              now,
              RetrySchedule.parseRetryAfter(response.retryAfter(), now).orElse(null));
      if (delay.isPresent()) {
        delivery.retryAt(now.plus(delay.get()));
        return new Settled(WebhookMetrics.Outcome.RETRYING, delay.get(), null);
      }
    }
    delivery.failed();
    if (endpoint == null || delivery.isTest()) {
      return Settled.failed(null);
    }
    int failures = endpoint.recordFailedDelivery(now);
    if (failures >= props.maxConsecutiveFailures()) {
      String last = status != null ? "HTTP " + status : String.valueOf(response.error());
      return Settled.failed(
          disable(
              endpoint,
              failures + " deliveries in a row failed for good (the last: " + last + ")",
              delivery.getId(),
              now));
    }
    return Settled.failed(null);
  }

  private @Nullable JobEventRecord disable(
      @Nullable WebhookEndpoint endpoint, String reason, UUID deliveryId, Instant now) {
    if (endpoint == null || !endpoint.isEnabled()) {
      return null;
    }
    endpoint.disable(reason, now);
    log.warn("{} disabled: {}", endpoint, reason);
    WebhookEndpointDisabledEvent event =
        WebhookEndpointDisabledEvent.of(
            UUID.randomUUID(),
            now,
            new WebhookEndpointDisabledEvent.Data(
                endpoint.getId(),
                endpoint.host(),
                endpoint.getDescription(),
                reason,
                endpoint.getConsecutiveFailures(),
                deliveryId));
    return events.save(JobEventRecord.webhookEndpointDisabled(event, codec));
  }
}
