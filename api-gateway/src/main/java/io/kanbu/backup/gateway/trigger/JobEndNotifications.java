package io.kanbu.backup.gateway.trigger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes requests that wait for a job the moment the catalog says it ended: one connection of the
 * pool {@code LISTEN}s on {@value #CHANNEL}, where the catalog announces every job that reaches an
 * end status (a trigger on {@code backup_job}, migration V23) when its transaction commits.
 *
 * <p>It only shortens waits: a waiter still looks at the catalog every {@code
 * kanbu.trigger.wait-poll-interval}, so a lost notification or a listener without a connection
 * (catalog restarting; it reconnects with a growing pause) costs at most that interval.
 */
@Component
public class JobEndNotifications implements SmartLifecycle {

  static final String CHANNEL = "kanbu_job_end";

  private static final Logger log = LoggerFactory.getLogger(JobEndNotifications.class);
  private static final int RECEIVE_TIMEOUT_MILLIS = 1_000;
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final DataSource dataSource;
  private final Map<UUID, Set<Semaphore>> waiters = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile boolean listening;
  private Thread listener;

  public JobEndNotifications(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A registration for one job's end; close it when the wait is over. */
  public final class Subscription implements AutoCloseable {
    private final UUID jobId;
    private final Semaphore ended = new Semaphore(0);

    private Subscription(UUID jobId) {
      this.jobId = jobId;
    }

    /**
     * Waits at most {@code timeout} for an announcement of the job's end; each announcement (made
     * since the subscription) ends one wait.
     *
     * @return true if one was announced
     */
    public boolean awaitAnnouncement(Duration timeout) throws InterruptedException {
      return ended.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      waiters.computeIfPresent(
          jobId,
          (id, subscribers) -> {
            subscribers.remove(ended);
            return subscribers.isEmpty() ? null : subscribers;
          });
    }
  }

  /** Subscribes to the end of a job; subscribe before looking at the job, so no end is missed. */
  public Subscription subscribe(UUID jobId) {
    Subscription subscription = new Subscription(jobId);
    waiters.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(subscription.ended);
    return subscription;
  }

  /** Whether the listener holds a connection that LISTENs (for tests and diagnostics). */
  public boolean isListening() {
    return listening;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    listener = Thread.ofPlatform().name("job-end-listener").daemon(true).start(this::listenLoop);
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (listener != null) {
      listener.interrupt();
      listener = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void listenLoop() {
    Duration pause = Duration.ofSeconds(1);
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        listening = true;
        pause = Duration.ofSeconds(1);
        while (running) {
          PGNotification[] notifications = postgres.getNotifications(RECEIVE_TIMEOUT_MILLIS);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              announce(notification.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (!running) {
          return;
        }
        log.warn(
            "not listening for job ends ({}); waiting requests look at the catalog instead;"
                + " retrying in {}",
            e.toString(),
            pause);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          return;
        }
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      } finally {
        listening = false;
      }
    }
  }

  private void announce(String payload) {
    UUID jobId;
    try {
      jobId = UUID.fromString(payload);
    } catch (IllegalArgumentException e) {
      log.debug("ignoring a job-end notification that is not a job id");
      return;
    }
    Set<Semaphore> subscribers = waiters.get(jobId);
    if (subscribers != null) {
      subscribers.forEach(Semaphore::release);
    }
  }
}
