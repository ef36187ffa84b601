package io.kanbu.backup.model.messaging;

import java.util.Map;

/**
 * Names and arguments of every exchange and queue. Every app declares the topology from these
 * constants so that the declarations never disagree (RabbitMQ refuses a redeclaration with other
 * arguments).
 */
public final class MessagingTopology {

  /** Direct exchange that receives job commands. */
  public static final String COMMANDS_EXCHANGE = "kanbu.backup.commands";

  /** Routing key of job commands on {@link #COMMANDS_EXCHANGE}. */
  public static final String JOBS_ROUTING_KEY = "kanbu.backup.jobs";

  /** Quorum queue the workers consume. */
  public static final String JOBS_QUEUE = "kanbu.backup.jobs";

  /** Direct exchange that takes rejected and over-delivered commands. */
  public static final String DEAD_LETTER_EXCHANGE = "kanbu.backup.dlx";

  /** Queue holding dead-lettered commands for an operator to inspect. */
  public static final String DEAD_LETTER_QUEUE = "kanbu.backup.jobs.dead";

  /** Topic exchange of job events; routing key is the event type, e.g. {@code job.succeeded}. */
  public static final String EVENTS_EXCHANGE = "kanbu.backup.events";

  /**
   * How often the broker redelivers a command whose consumer died before acking it, before it
   * dead-letters it. Workers ack right after claiming, so this only counts crashes in between.
   */
  public static final int JOBS_DELIVERY_LIMIT = 5;

  /** Header set on a dead-lettered command: why it was rejected. */
  public static final String REJECTION_REASON_HEADER = "x-kanbu-rejection-reason";

  /** Header carrying the job id through the broker for log correlation. */
  public static final String JOB_ID_HEADER = "x-kanbu-job-id";

  /** Header carrying the schedule id of a schedule event ({@code schedule.missed}). */
  public static final String SCHEDULE_ID_HEADER = "x-kanbu-schedule-id";

  /** Quorum queue of the webhook fan-out: every event on {@link #EVENTS_EXCHANGE} ({@code #}). */
  public static final String NOTIFICATIONS_QUEUE = "kanbu.backup.notifications";

  /** Quorum queue of webhook delivery attempts: one message per attempt due. */
  public static final String WEBHOOK_DELIVERIES_QUEUE = "kanbu.backup.webhook.deliveries";

  /**
   * Prefix of the webhook delay queues ({@code kanbu.backup.webhook.delay.5s}, …): each holds a
   * delivery's next attempt for its fixed time to live, then dead-letters it back to the deliveries
   * queue.
   */
  public static final String WEBHOOK_DELAY_QUEUE_PREFIX = "kanbu.backup.webhook.delay.";

  /** Header of a delivery message: the attempt it stands for (the message id is the delivery). */
  public static final String WEBHOOK_ATTEMPT_HEADER = "x-kanbu-webhook-attempt";

  /**
   * How often the broker hands out a webhook message whose consumer died or failed before it is
   * dropped. For an attempt the catalog still holds the delivery, and a worker's sweep sends it
   * again; an event the fan-out could not store (catalog down) is handed out again once a second,
   * so this is about how long a catalog outage may last before the event is lost to webhooks.
   */
  public static final int WEBHOOK_DELIVERY_LIMIT = 60;

  /** Arguments of {@link #NOTIFICATIONS_QUEUE} and {@link #WEBHOOK_DELIVERIES_QUEUE}. */
  public static Map<String, Object> webhookQueueArguments() {
    return Map.of("x-queue-type", "quorum", "x-delivery-limit", WEBHOOK_DELIVERY_LIMIT);
  }

  /**
   * Arguments of a webhook delay queue: messages expire after {@code ttlMillis} into the default
   * exchange with the deliveries queue's name as routing key, so they come back to it.
   */
  public static Map<String, Object> webhookDelayQueueArguments(
      long ttlMillis, String deliveriesQueue) {
    return Map.of(
        "x-queue-type",
        "quorum",
        "x-message-ttl",
        ttlMillis,
        "x-dead-letter-exchange",
        "",
        "x-dead-letter-routing-key",
        deliveriesQueue);
  }

  /** Arguments of {@link #JOBS_QUEUE}. */
  public static Map<String, Object> jobsQueueArguments() {
    return Map.of(
        "x-queue-type", "quorum",
        "x-delivery-limit", JOBS_DELIVERY_LIMIT,
        "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
        "x-dead-letter-routing-key", DEAD_LETTER_QUEUE);
  }

  /** Arguments of {@link #DEAD_LETTER_QUEUE}. */
  public static Map<String, Object> deadLetterQueueArguments() {
    return Map.of("x-queue-type", "quorum");
  }

  private MessagingTopology() {}
}
