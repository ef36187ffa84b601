package io.kanbu.backup.worker.job;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes commands from {@value MessagingTopology#JOBS_QUEUE} with manual acknowledgement, one at a
 * time per run slot ({@code BACKUP_WORKER_CONCURRENCY} slots, each its own thread).
 *
 * <p>Why {@code basic.get} and not a consumer: a consumer with prefetch 1 is sent the next command
 * the moment it acks the current one, and would hold that command unacknowledged for the hours a
 * backup runs; the broker's consumer timeout (30 minutes, not settable per queue on RabbitMQ 3.10)
 * would then close the channel and burn one of the queue's delivery attempts. A slot asks for a
 * command only when it is free, so a command is held just for the claim, which takes milliseconds.
 *
 * <p>Per command: decode and claim ({@link BackupJobClaimer}); invalid → dead-letter with the
 * reason, then ack; duplicate or busy target → ack; claimed → ack after the claim committed, then
 * run the job on this slot's thread. An infrastructure error (catalog down) requeues the command
 * and backs off.
 */
@Component
public class JobQueuePoller implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobQueuePoller.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final RabbitTemplate rabbit;
  private final BackupJobClaimer claimer;
  private final DeadLetterPublisher deadLetters;
  private final Map<JobType, JobRunner> runners = new EnumMap<>(JobType.class);
  private final WorkerProperties props;
  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean running;

  public JobQueuePoller(
      RabbitTemplate rabbit,
      BackupJobClaimer claimer,
      DeadLetterPublisher deadLetters,
      List<JobRunner> jobRunners,
      WorkerProperties props) {
    this.rabbit = rabbit;
    this.claimer = claimer;
    this.deadLetters = deadLetters;
    jobRunners.forEach(
        r -> {
          if (runners.put(r.type(), r) != null) {
            throw new IllegalStateException("two runners for job type " + r.type());
          }
        });
    for (JobType type : BackupJobClaimer.RUNNABLE_TYPES) {
      if (!runners.containsKey(type)) {
        throw new IllegalStateException("no runner for job type " + type + ", which is claimed");
      }
    }
    this.props = props;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (int i = 1; i <= props.concurrency(); i++) {
      slots.add(Thread.ofPlatform().name("job-slot-" + i).start(this::pollLoop));
    }
    log.info(
        "worker '{}' takes jobs from '{}' with {} slot(s)",
        props.workerId(),
        props.jobsQueue(),
        props.concurrency());
  }

  @Override
  public void stop() {
    List<Thread> toJoin;
    synchronized (this) {
      running = false;
      toJoin = List.copyOf(slots);
      slots.clear();
    }
    for (Thread slot : toJoin) {
      slot.interrupt();
    }
    for (Thread slot : toJoin) {
      try {
        // a running backup keeps its lease until it ends or the lease runs out
        slot.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // start after the RabbitMQ and JPA infrastructure, stop before it
    return Integer.MAX_VALUE - 100;
  }

  private void pollLoop() {
    Duration backoff = props.pollInterval();
    while (running) {
      try {
        ClaimedJob job = takeOne();
        backoff = props.pollInterval();
        if (job == null) {
          sleep(props.pollInterval());
          continue;
        }
        MDC.put("jobId", job.id().toString());
        try {
          JobRunner runner = runners.get(job.type());
          if (runner == null) {
            // cannot happen: the claimer takes only runnable types, each has a runner (above)
            throw new IllegalStateException("no runner for job type " + job.type());
          }
          runner.run(job);
        } finally {
          MDC.remove("jobId");
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "unable to take a job from '{}': {}; retrying in {}",
            props.jobsQueue(),
            e.toString(),
            backoff);
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Takes one command and settles it.
   *
   * @return the job to run, or null if there was none to run
   */
  private @Nullable ClaimedJob takeOne() {
    return rabbit.execute(
        channel -> {
          GetResponse response = channel.basicGet(props.jobsQueue(), false);
          if (response == null) {
            return null;
          }
          long tag = response.getEnvelope().getDeliveryTag();
          String messageId = response.getProps().getMessageId();
          MDC.put("jobId", messageId == null ? "unknown" : messageId);
          try {
            return settle(channel, response, tag);
          } catch (RuntimeException e) {
            requeue(channel, tag);
            throw e;
          } finally {
            MDC.remove("jobId");
          }
        });
  }

  private @Nullable ClaimedJob settle(Channel channel, GetResponse response, long tag)
      throws IOException {
    IntakeDecision decision = claimer.accept(response.getBody());
    switch (decision) {
      case IntakeDecision.Reject reject -> {
        if (deadLetters.publish(response, reject.reason())) {
          channel.basicAck(tag, false);
          log.warn(
              "command {} rejected to '{}': {}",
              printableId(response),
              MessagingTopology.DEAD_LETTER_QUEUE,
              reject.reason());
        } else {
          // takeOne requeues it
          throw new IllegalStateException("the dead-letter exchange did not confirm");
        }
        return null;
      }
      case IntakeDecision.Duplicate duplicate -> {
        channel.basicAck(tag, false);
        log.info("command {} dropped as a duplicate: {}", printableId(response), duplicate.why());
        return null;
      }
      case IntakeDecision.TargetBusy busy -> {
        channel.basicAck(tag, false);
        log.info(
            "job {} stays QUEUED: {}; the command relay publishes it again",
            printableId(response),
            busy.holder());
        return null;
      }
      case IntakeDecision.Claimed claimed -> {
        // the claim has committed: from now on the lease, not the queue, protects the job
        channel.basicAck(tag, false);
        log.info(
            "job {} RUNNING on worker '{}' (attempt {}, {} on '{}')",
            claimed.job().id(),
            props.workerId(),
            claimed.job().attempt(),
            claimed.job().type(),
            claimed.job().target());
        return claimed.job();
      }
    }
  }

  private static void requeue(Channel channel, long tag) {
    try {
      if (channel.isOpen()) {
        channel.basicNack(tag, false, true);
      }
    } catch (IOException | RuntimeException e) {
      // closing the channel requeues it as well
      log.debug("nack failed: {}", e.toString());
    }
  }

  private static String printableId(GetResponse response) {
    String id = response.getProps().getMessageId();
    if (id == null) {
      return "without message id";
    }
    try {
      return UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      return "'" + id.replaceAll("[^A-Za-z0-9._-]", "?") + "'";
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
