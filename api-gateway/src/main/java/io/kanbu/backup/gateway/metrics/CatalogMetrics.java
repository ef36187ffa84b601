package io.kanbu.backup.gateway.metrics;

import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Metrics of the whole fleet, read from the catalog (every worker's jobs and backups) and the
 * broker, refreshed every {@code kanbu.metrics.refresh} (30 s): what alerts need without asking
 * each worker. Labels are target, type and status only (low cardinality).
 *
 * <ul>
 *   <li>{@code kanbu_backup_last_success_timestamp_seconds{target,type}}: the newest available
 *       backup
 *   <li>{@code kanbu_backup_last_verified_restorable_timestamp_seconds{target,type}}: the newest
 *       passed restore drill
 *   <li>{@code kanbu_backup_jobs_total{type,status}}: jobs that ended, by outcome
 *   <li>{@code kanbu_backup_jobs_running}, {@code kanbu_backup_jobs_queued}
 *   <li>{@code kanbu_backup_queue_messages{queue}}, {@code kanbu_backup_queue_consumers{queue}}:
 *       the jobs queue and the dead-letter queue
 *   <li>{@code kanbu_backup_expected_interval_seconds{target,type}}: how old the newest backup may
 *       get, from the target's schedules ({@link ExpectedBackupIntervals}); the freshness alert
 *       compares the last success with it
 *   <li>{@code kanbu_backup_webhook_endpoints{state}}: webhook endpoints enabled and disabled
 *   <li>{@code kanbu_backup_workers}: workers whose heartbeat ({@code worker_heartbeat}) is younger
 *       than {@code kanbu.metrics.worker-heartbeat-timeout} (1 min); workers poll the jobs queue,
 *       so the broker's consumer count does not show them
 * </ul>
 */
@Component
public class CatalogMetrics implements MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(CatalogMetrics.class);

  private final JdbcTemplate jdbc;
  private final QueueDepths queues;
  private final BackupScheduleRepository schedules;
  private final Set<String> configuredTargets;
  private final Duration defaultInterval;
  private final Duration intervalSlack;
  private final Duration heartbeatTimeout;
  private final Clock clock;
  private final Map<String, AtomicLong> endpoints = new ConcurrentHashMap<>();
  private final Map<Tags, AtomicLong> ended = new ConcurrentHashMap<>();
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong workers = new AtomicLong();
  private final Map<String, AtomicLong> queueMessages = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> queueConsumers = new ConcurrentHashMap<>();
  private @Nullable MeterRegistry registry;
  private @Nullable MultiGauge lastSuccess;
  private @Nullable MultiGauge lastRestorable;
  private @Nullable MultiGauge expectedInterval;

  /**
   * @param defaultInterval {@code KANBU_METRICS_DEFAULT_EXPECTED_INTERVAL}: the expected interval
   *     of a target and type without a schedule
   * @param intervalSlack {@code KANBU_METRICS_EXPECTED_INTERVAL_SLACK}: added to a schedule's gap
   */
  public CatalogMetrics(
      JdbcTemplate jdbc,
      QueueDepths queues,
      BackupScheduleRepository schedules,
      GatewayProperties properties,
      Clock clock,
      @Value("${kanbu.metrics.default-expected-interval:26h}") Duration defaultInterval,
      @Value("${kanbu.metrics.expected-interval-slack:2h}") Duration intervalSlack,
      @Value("${kanbu.metrics.worker-heartbeat-timeout:1m}") Duration heartbeatTimeout) {
    this.jdbc = jdbc;
    this.queues = queues;
    this.schedules = schedules;
    this.configuredTargets = properties.targetNames();
    this.clock = clock;
    this.defaultInterval = defaultInterval;
    this.intervalSlack = intervalSlack;
    this.heartbeatTimeout = heartbeatTimeout;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    lastSuccess =
        MultiGauge.builder("kanbu.backup.last.success.timestamp")
            .baseUnit("seconds")
            .description("When the newest available backup of a target and type was made")
            .register(registry);
    lastRestorable =
        MultiGauge.builder("kanbu.backup.last.verified.restorable.timestamp")
            .baseUnit("seconds")
            .description("When the newest passed restore drill of a target and type ended")
            .register(registry);
    expectedInterval =
        MultiGauge.builder("kanbu.backup.expected.interval")
            .baseUnit("seconds")
            .description(
                "How old the newest backup of a target and type may get: from its schedules, or"
                    + " the default without one")
            .register(registry);
    for (String state : List.of("enabled", "disabled")) {
      AtomicLong count = endpoints.computeIfAbsent(state, s -> new AtomicLong());
      Gauge.builder("kanbu.backup.webhook.endpoints", count, AtomicLong::get)
          .tag("state", state)
          .description("Webhook endpoints; a disabled one gets no deliveries until re-enabled")
          .register(registry);
    }
    Gauge.builder("kanbu.backup.workers", workers, AtomicLong::get)
        .description("Workers alive: their heartbeat in the catalog is recent")
        .register(registry);
    Gauge.builder("kanbu.backup.jobs.running", running, AtomicLong::get)
        .description("Jobs running now")
        .register(registry);
    Gauge.builder("kanbu.backup.jobs.queued", queued, AtomicLong::get)
        .description("Jobs waiting for a worker")
        .register(registry);
    for (String queue :
        List.of(MessagingTopology.JOBS_QUEUE, MessagingTopology.DEAD_LETTER_QUEUE)) {
      AtomicLong count = queueMessages.computeIfAbsent(queue, q -> new AtomicLong());
      Gauge.builder("kanbu.backup.queue.messages", count, AtomicLong::get)
          .tag("queue", queue)
          .description("Messages in a queue (the dead-letter queue should be empty)")
          .register(registry);
      AtomicLong consumers = queueConsumers.computeIfAbsent(queue, q -> new AtomicLong());
      Gauge.builder("kanbu.backup.queue.consumers", consumers, AtomicLong::get)
          .tag("queue", queue)
          .description("Consumers of a queue (workers, for the jobs queue)")
          .register(registry);
    }
    refresh();
  }

  /** Reads the catalog and the broker again; a failure keeps the last values. */
  @Scheduled(fixedDelayString = "${kanbu.metrics.refresh:30s}")
  public void refresh() {
    if (registry == null) {
      return;
    }
    try {
      refreshCatalog();
    } catch (RuntimeException e) {
      log.warn("unable to read metrics from the catalog: {}", e.getMessage());
    }
    queueMessages.forEach(
        (queue, count) ->
            queues
                .state(queue)
                .ifPresent(
                    state -> {
                      count.set(state.messages());
                      queueConsumers.get(queue).set(state.consumers());
                    }));
  }

  private void refreshCatalog() {
    List<MultiGauge.Row<?>> success =
        jdbc.query(
            "SELECT target, kind, max(created_at) FROM backup WHERE status = 'AVAILABLE'"
                + " GROUP BY target, kind",
            (rs, i) -> row(rs.getString(1), rs.getString(2), rs.getTimestamp(3)));
    List<MultiGauge.Row<?>> restorable =
        jdbc.query(
            "SELECT target, kind, max(last_drill_at) FROM backup WHERE last_drill_passed"
                + " GROUP BY target, kind",
            (rs, i) -> row(rs.getString(1), rs.getString(2), rs.getTimestamp(3)));
    java.util.Objects.requireNonNull(lastSuccess).register(success, true);
    Set<String> targets = new TreeSet<>(configuredTargets);
    jdbc.query(
        "SELECT DISTINCT target FROM backup WHERE status = 'AVAILABLE'",
        rs -> {
          targets.add(rs.getString(1));
        });
    Map<ExpectedBackupIntervals.TargetType, Duration> intervals =
        ExpectedBackupIntervals.of(
            schedules.findAll(), targets, defaultInterval, intervalSlack, clock.instant());
    java.util.Objects.requireNonNull(expectedInterval)
        .register(
            intervals.entrySet().stream()
                .<MultiGauge.Row<?>>map(
                    e ->
                        MultiGauge.Row.of(
                            Tags.of("target", e.getKey().target(), "type", e.getKey().type()),
                            e.getValue().toSeconds()))
                .toList(),
            true);
    Map<String, Long> endpointStates = new java.util.HashMap<>();
    jdbc.query(
        "SELECT enabled, count(*) FROM webhook_endpoint GROUP BY enabled",
        rs -> {
          endpointStates.put(rs.getBoolean(1) ? "enabled" : "disabled", rs.getLong(2));
        });
    endpoints.forEach((state, count) -> count.set(endpointStates.getOrDefault(state, 0L)));
    java.util.Objects.requireNonNull(lastRestorable).register(restorable, true);
    jdbc.query(
        "SELECT type, status, count(*) FROM backup_job"
            + " WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') GROUP BY type, status",
        rs -> {
          Tags tags = Tags.of("type", rs.getString(1), "status", rs.getString(2));
          counterFor(tags).set(rs.getLong(3));
        });
    // one read for both; a status with no jobs has no row and counts 0
    Map<String, Long> active = new java.util.HashMap<>();
    jdbc.query(
        "SELECT status, count(*) FROM backup_job WHERE status IN ('RUNNING', 'QUEUED')"
            + " GROUP BY status",
        rs -> {
          active.put(rs.getString(1), rs.getLong(2));
        });
    running.set(active.getOrDefault("RUNNING", 0L));
    Long alive =
        jdbc.queryForObject(
            "SELECT count(*) FROM worker_heartbeat WHERE last_seen_at > ?",
            Long.class,
            Timestamp.from(clock.instant().minus(heartbeatTimeout)));
    workers.set(alive == null ? 0 : alive);
    queued.set(active.getOrDefault("QUEUED", 0L));
  }

  private AtomicLong counterFor(Tags tags) {
    return ended.computeIfAbsent(
        tags,
        t -> {
          AtomicLong value = new AtomicLong();
          FunctionCounter.builder("kanbu.backup.jobs", value, AtomicLong::get)
              .tags(t)
              .description("Jobs that ended, by type and outcome")
              .register(java.util.Objects.requireNonNull(registry));
          return value;
        });
  }

  private static MultiGauge.Row<?> row(String target, String kind, Timestamp at) {
    return MultiGauge.Row.of(
        Tags.of("target", target, "type", kind.toLowerCase(java.util.Locale.ROOT)),
        at.toInstant().toEpochMilli() / 1000.0);
  }
}
