package io.kanbu.backup.worker.job;

import io.kanbu.backup.worker.config.WorkerProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Records in the catalog ({@code worker_heartbeat}) that this worker is alive, every {@code
 * kanbu.worker.heartbeat-interval} (15 s), and removes its row when it stops. A worker's run slot
 * consumes the jobs queue only while it is free, so the broker does not count a worker whose slots
 * all run jobs; the gateway counts these rows instead ({@code kanbu_backup_workers}) for the "no
 * worker" alert.
 */
@Component
public class WorkerHeartbeat implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeat.class);

  private final JdbcTemplate jdbc;
  private final WorkerProperties props;
  private final Clock clock;
  private final Instant startedAt;

  public WorkerHeartbeat(JdbcTemplate jdbc, WorkerProperties props, Clock clock) {
    this.jdbc = jdbc;
    this.props = props;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  @Scheduled(fixedDelayString = "${kanbu.worker.heartbeat-interval:15s}")
  public void beat() {
    try {
      jdbc.update(
          "INSERT INTO worker_heartbeat (worker_id, slots, started_at, last_seen_at)"
              + " VALUES (?, ?, ?, ?) ON CONFLICT (worker_id) DO UPDATE"
              + " SET slots = excluded.slots, started_at = excluded.started_at,"
              + " last_seen_at = excluded.last_seen_at",
          props.workerId(),
          props.concurrency(),
          Timestamp.from(startedAt),
          Timestamp.from(clock.instant()));
    } catch (RuntimeException e) {
      log.warn("unable to record this worker's heartbeat: {}; retrying", e.toString());
    }
  }

  @Override
  public void destroy() {
    try {
      jdbc.update("DELETE FROM worker_heartbeat WHERE worker_id = ?", props.workerId());
    } catch (RuntimeException e) {
      // the gateway stops counting it once its last heartbeat is old
      log.debug("heartbeat not removed: {}", e.toString());
    }
  }
}
