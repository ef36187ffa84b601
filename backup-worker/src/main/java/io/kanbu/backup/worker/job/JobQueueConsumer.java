package io.kanbu.backup.worker.job;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes commands from {@value MessagingTopology#JOBS_QUEUE} with manual acknowledgement, one at a
 * time per run slot ({@code BACKUP_WORKER_CONCURRENCY} slots, each its own thread and channel).
 *
 * <p>A free slot is a consumer with prefetch 1, so a command reaches it the moment it is published.
 * When a command is claimed, the slot cancels its consumer <em>before</em> it acks: a consumer
 * still subscribed would be sent the next command on that ack and hold it unacknowledged for the
 * hours a backup runs, until the broker's consumer timeout (30 minutes by default, not settable per
 * queue on RabbitMQ 3.10) closed the channel and burned one of the queue's delivery attempts. The
 * slot subscribes again when its job ends, so a command is held just for the claim, which takes
 * milliseconds, and other workers' free slots take the rest.
 *
 * <p>Per command: decode and claim ({@link BackupJobClaimer}); invalid → dead-letter with the
 * reason, then ack; duplicate or busy target → ack; claimed → cancel the consumer, ack after the
 * claim committed, then run the job on this slot's thread. An infrastructure error (catalog down)
 * requeues the command and backs off, starting from {@code kanbu.worker.poll-interval}.
 */
@Component
public class JobQueueConsumer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobQueueConsumer.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ConnectionFactory connections;
  private final BackupJobClaimer claimer;
  private final DeadLetterPublisher deadLetters;
  private final Map<JobType, JobRunner> runners = new EnumMap<>(JobType.class);
  private final WorkerProperties props;
  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean running;

  public JobQueueConsumer(
      ConnectionFactory connections,
      BackupJobClaimer claimer,
      DeadLetterPublisher deadLetters,
      List<JobRunner> jobRunners,
      WorkerProperties props) {
    this.connections = connections;
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
      slots.add(Thread.ofPlatform().name("job-slot-" + i).start(this::slotLoop));
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

  private void slotLoop() {
    Duration backoff = props.pollInterval();
    while (running) {
      try (Subscription subscription = new Subscription()) {
        subscription.consume();
        backoff = props.pollInterval();
        while (running && subscription.isOpen()) {
          Delivery delivery = subscription.next(props.pollInterval());
          if (delivery == null) {
            continue;
          }
          ClaimedJob job = takeOne(subscription, delivery);
          if (job != null) {
            run(job);
            subscription.consume();
          }
        }
      } catch (IOException | RuntimeException e) {
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
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run(ClaimedJob job) {
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
  }

  /**
   * Settles one delivered command.
   *
   * @return the job to run, or null if there was none to run
   */
  private @Nullable ClaimedJob takeOne(Subscription subscription, Delivery delivery)
      throws IOException {
    Channel channel = subscription.channel;
    long tag = delivery.getEnvelope().getDeliveryTag();
    MDC.put("jobId", printableId(delivery));
    try {
      return settle(subscription, delivery, tag);
    } catch (IOException | RuntimeException e) {
      requeue(channel, tag);
      throw e;
    } finally {
      MDC.remove("jobId");
    }
  }

  private @Nullable ClaimedJob settle(Subscription subscription, Delivery delivery, long tag)
      throws IOException {
    Channel channel = subscription.channel;
    IntakeDecision decision = claimer.accept(delivery.getBody());
    switch (decision) {
      case IntakeDecision.Reject reject -> {
        if (deadLetters.publish(delivery, reject.reason())) {
          channel.basicAck(tag, false);
          log.warn(
              "command {} rejected to '{}': {}",
              printableId(delivery),
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
        log.info("command {} dropped as a duplicate: {}", printableId(delivery), duplicate.why());
        return null;
      }
      case IntakeDecision.TargetBusy busy -> {
        channel.basicAck(tag, false);
        log.info(
            "job {} stays QUEUED: {}; the command relay publishes it again",
            printableId(delivery),
            busy.holder());
        return null;
      }
      case IntakeDecision.Claimed claimed -> {
        // the claim has committed: from now on the lease, not the queue, protects the job. Stop
        // consuming first, so that the ack does not bring the next command to a busy slot.
        try {
          subscription.pause();
          channel.basicAck(tag, false);
        } catch (IOException | RuntimeException e) {
          // the command goes back to the queue with the channel; its next delivery finds the
          // job claimed and is dropped as a duplicate
          log.warn("unable to ack the claimed command: {}; running the job anyway", e.toString());
        }
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

  /**
   * One slot's channel and its consumer on the jobs queue (prefetch 1). Deliveries are handed from
   * the client's dispatch thread to the slot's thread; with prefetch 1 there is at most one.
   */
  private final class Subscription implements AutoCloseable {
    private final Channel channel;
    private final BlockingQueue<Delivery> delivered = new ArrayBlockingQueue<>(1);
    private volatile @Nullable String consumerTag;

    Subscription() throws IOException {
      channel = connections.createConnection().createChannel(false);
      channel.basicQos(1);
    }

    void consume() throws IOException {
      consumerTag =
          channel.basicConsume(
              props.jobsQueue(),
              false,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                  if (!delivered.offer(new Delivery(envelope, properties, body))) {
                    // cannot happen with prefetch 1; the broker redelivers it after the close
                    log.warn("a second unacked command reached one slot; closing its channel");
                    closeQuietly();
                  }
                }

                @Override
                public void handleCancel(String tag) {
                  // the broker cancelled us (queue deleted): the slot subscribes again
                  consumerTag = null;
                  closeQuietly();
                }
              });
    }

    /** Cancels the consumer; a command already delivered stays this slot's until settled. */
    void pause() throws IOException {
      String tag = consumerTag;
      if (tag != null) {
        consumerTag = null;
        channel.basicCancel(tag);
      }
    }

    @Nullable Delivery next(Duration timeout) throws InterruptedException {
      return delivered.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() {
      closeQuietly();
    }

    private void closeQuietly() {
      // a consumer's channel must really close (not go back to the connection factory's cache):
      // closing it also returns any unacked command to the queue
      RabbitUtils.setPhysicalCloseRequired(channel, true);
      RabbitUtils.closeChannel(channel);
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

  private static String printableId(Delivery delivery) {
    String id = delivery.getProperties().getMessageId();
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
