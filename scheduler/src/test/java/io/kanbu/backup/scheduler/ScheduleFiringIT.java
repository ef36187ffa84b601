package io.kanbu.backup.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.JobEventRecord;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.ScheduleFiring;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.enqueue.ScheduleFirer;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.model.messaging.ScheduleEvent;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.FiringTrigger;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import io.kanbu.backup.model.schedule.SchedulerMode;
import io.kanbu.backup.scheduler.schedule.DueScheduleRunner;
import io.kanbu.backup.scheduler.schedule.ScheduleMetrics;
import io.kanbu.backup.testing.ExternalServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Schedules firing on the real catalog and broker, with a clock the test moves: hours and days of
 * schedule in a few seconds. The app's own schedule runner ("replica-a") is ticked by the test (its
 * timer is set to an hour); a second runner ("replica-b") built from the same beans plays a second
 * scheduler replica on the same catalog. Every schedule has its own target, unknown to any worker,
 * so a worker that takes one of these commands from the shared queue dead-letters it.
 */
@ExtendWith(ExternalServices.class)
@Import(MutableClockConfiguration.class)
@SpringBootTest(
    properties = {
      "kanbu.scheduler.schedule-interval=1h",
      "kanbu.scheduler.reaper-interval=1h",
      "kanbu.scheduler.relay-interval=1h",
      "kanbu.scheduler.misfire-grace=1h",
      "kanbu.scheduler.instance-id=replica-a"
    })
// gives its catalog connections back when the class ends: the test server is shared
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ScheduleFiringIT {

  private static final String CATALOG =
      "kanbu_it_sched_firing" + System.getProperty("kanbu.it.worker-suffix", "");
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    SchedulerTestServices.register(registry, CATALOG);
  }

  @Autowired MutableClock clock;
  @Autowired DueScheduleRunner replicaA;
  @Autowired BackupScheduleRepository schedules;
  @Autowired ScheduleFiringRepository firings;
  @Autowired BackupJobRepository jobs;
  @Autowired JobEventRecordRepository events;
  @Autowired ScheduleFirer firer;
  @Autowired EventOutboxRelay eventRelay;
  @Autowired MessageCodec codec;
  @Autowired ScheduleMetrics metrics;
  @Autowired MeterRegistry registry;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcTemplate jdbc;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;

  private DueScheduleRunner replicaB;
  private Queue scheduleEvents;
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @BeforeEach
  void secondReplicaAndEventQueue() {
    // schedules of earlier tests would become due when this test moves the clock
    jdbc.update("DELETE FROM backup_schedule");
    replicaB = replica("replica-b", SchedulerMode.BOTH);
    scheduleEvents = new Queue("kanbu.it.sched.events." + UUID.randomUUID(), false, true, false);
    admin.declareQueue(scheduleEvents);
    admin.declareBinding(
        BindingBuilder.bind(scheduleEvents)
            .to(new TopicExchange(MessagingTopology.EVENTS_EXCHANGE))
            .with("schedule.#"));
  }

  @AfterEach
  void deleteEventQueue() {
    admin.deleteQueue(scheduleEvents.getName());
    pool.shutdownNow();
  }

  @Test
  void twoReplicas_overASimulatedWeek_createExactlyOneJobPerFiring_andOneAloneLosesNone() {
    Instant start = Instant.parse("2026-11-30T00:00:30Z");
    clock.set(start);
    BackupSchedule schedule = save("0 * * * *", "UTC", ScheduleJobKind.DATABASE, null);
    for (int hour = 1; hour <= 7 * 24; hour++) {
      clock.set(start.plus(Duration.ofHours(hour)));
      // replica A is killed at mid-week; B goes on alone
      boolean bothAlive = hour <= 7 * 12;
      int handled = bothAlive ? race(replicaA, replicaB) : replicaB.fireDueSchedules();
      assertThat(handled).as("replicas that handled hour %d", hour).isEqualTo(1);
      finishJobsOf(schedule);
    }

    List<ScheduleFiring> fired = firingsOf(schedule);
    assertThat(fired).hasSize(7 * 24);
    assertThat(fired)
        .extracting(ScheduleFiring::getOutcome)
        .containsOnly(FiringOutcome.JOB_CREATED);
    assertThat(fired)
        .extracting(ScheduleFiring::getFireTime)
        .doesNotHaveDuplicates()
        .allMatch(t -> t.getEpochSecond() % 3600 == 0);
    assertThat(fired.getLast().getFireTime()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    assertThat(fired).extracting(ScheduleFiring::getClaimedBy).contains("replica-a", "replica-b");
    for (ScheduleFiring firing : fired) {
      List<BackupJob> created = jobs.findByScheduleFiringIdOrderByType(firing.getId());
      assertThat(created).as("jobs of %s", firing.getFireTime()).hasSize(1);
      assertThat(created.getFirst().getType()).isEqualTo(JobType.BACKUP_DATABASE);
      assertThat(created.getFirst().getTriggerSource()).isEqualTo(TriggerSource.SCHEDULE);
      assertThat(created.getFirst().getTarget()).isEqualTo(schedule.getTarget());
      assertThat(created.getFirst().getScheduleName()).isEqualTo(schedule.getName());
    }
    assertThat(jobsOfTarget(schedule)).isEqualTo(7 * 24);
    assertThat(reload(schedule).getNextFireAt()).isEqualTo(Instant.parse("2026-12-07T01:00:00Z"));
  }

  @Test
  void previousJobStillQueuedOrRunning_skipsTheFiring_andRecordsWhy() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule = save("0 3 * * *", "UTC", ScheduleJobKind.ALL, null);

    clock.set(Instant.parse("2026-11-30T03:00:02Z"));
    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);
    List<BackupJob> first =
        jobs.findByScheduleFiringIdOrderByType(firingsOf(schedule).getFirst().getId());
    assertThat(first)
        .extracting(BackupJob::getType)
        .containsExactly(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE);
    assertThat(first.get(0).getRecoveryPointId())
        .isNotNull()
        .isEqualTo(first.get(1).getRecoveryPointId());

    // one of the two still runs a day later
    finishJob(first.get(0));
    clock.set(Instant.parse("2026-12-01T03:00:02Z"));
    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);

    ScheduleFiring skipped = firingsOf(schedule).getLast();
    assertThat(skipped.getFireTime()).isEqualTo(Instant.parse("2026-12-01T03:00:00Z"));
    assertThat(skipped.getOutcome()).isEqualTo(FiringOutcome.SKIPPED_PREVIOUS_ACTIVE);
    assertThat(skipped.getDetail()).contains(first.get(1).getId().toString());
    assertThat(jobs.findByScheduleFiringIdOrderByType(skipped.getId())).isEmpty();
    assertThat(jobsOfTarget(schedule)).isEqualTo(2);

    finishJob(first.get(1));
    clock.set(Instant.parse("2026-12-02T03:00:02Z"));
    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);
    assertThat(firingsOf(schedule).getLast().getOutcome()).isEqualTo(FiringOutcome.JOB_CREATED);
    assertThat(jobsOfTarget(schedule)).isEqualTo(4);
  }

  @Test
  void concurrentFiringsOfOneSchedule_forDifferentTimes_takeTurns_andStartOneJob()
      throws Exception {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule = save("0 3 * * *", "UTC", ScheduleJobKind.DATABASE, null);
    // e.g. run-nows from several gateways beside a cron firing: each its own fire time
    ExecutorService four = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ScheduleFirer.Fired>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant fireTime = clock.instant().plusSeconds(i);
      results.add(
          four.submit(
              () -> {
                go.await();
                return firer.fire(schedule, fireTime, FiringTrigger.MANUAL, "t");
              }));
    }
    go.countDown();
    List<FiringOutcome> outcomes = new ArrayList<>();
    for (Future<ScheduleFirer.Fired> result : results) {
      ScheduleFirer.Fired fired = result.get();
      assertThat(fired.claimed()).isTrue();
      outcomes.add(fired.outcome());
    }
    four.shutdownNow();

    assertThat(outcomes)
        .containsOnlyOnce(FiringOutcome.JOB_CREATED)
        .containsOnly(FiringOutcome.JOB_CREATED, FiringOutcome.SKIPPED_PREVIOUS_ACTIVE);
    assertThat(jobsOfTarget(schedule)).isEqualTo(1);
  }

  @Test
  void firingsMissedWhileAllSchedulersWereDown_withinGrace_runOnce_andPublishScheduleMissed() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule =
        save("0 * * * *", "UTC", ScheduleJobKind.DATABASE, Duration.ofMinutes(30));

    double coalescedBefore = count("kanbu.backup.schedule.missed", "coalesced");
    double createdBefore = count("kanbu.backup.schedule.firings", "job_created");

    // nobody ran from 01:00 to 05:00; a scheduler comes back at 05:10
    clock.set(Instant.parse("2026-11-30T05:10:00Z"));
    assertThat(race(replicaA, replicaB)).isEqualTo(1);

    assertThat(count("kanbu.backup.schedule.missed", "coalesced") - coalescedBefore).isEqualTo(4);
    assertThat(count("kanbu.backup.schedule.firings", "job_created") - createdBefore).isEqualTo(1);

    List<ScheduleFiring> fired = firingsOf(schedule);
    assertThat(fired)
        .extracting(ScheduleFiring::getOutcome)
        .containsExactly(
            FiringOutcome.COALESCED,
            FiringOutcome.COALESCED,
            FiringOutcome.COALESCED,
            FiringOutcome.COALESCED,
            FiringOutcome.JOB_CREATED);
    assertThat(fired.getFirst().getDetail())
        .contains("coalesced into the run of 2026-11-30T05:00:00Z");
    List<BackupJob> run = jobs.findByScheduleFiringIdOrderByType(fired.getLast().getId());
    assertThat(run).hasSize(1);
    assertThat(jobsOfTarget(schedule)).isEqualTo(1);

    ScheduleEvent event = onlyMissedEventOf(schedule);
    assertThat(event.data().outcome()).isEqualTo(ScheduleEvent.COALESCED);
    assertThat(event.data().missedCount()).isEqualTo(4);
    assertThat(event.data().firstMissedAt()).isEqualTo(Instant.parse("2026-11-30T01:00:00Z"));
    assertThat(event.data().lastMissedAt()).isEqualTo(Instant.parse("2026-11-30T04:00:00Z"));
    assertThat(event.data().jobIds()).containsExactly(run.getFirst().getId());
    assertThat(event.data().graceSeconds()).isEqualTo(1800);
    assertThat(reload(schedule).getNextFireAt()).isEqualTo(Instant.parse("2026-11-30T06:00:00Z"));
  }

  @Test
  void firingsMissedBeyondGrace_areRecordedMissed_withoutAJob_andPublishScheduleMissed() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule =
        save("0 * * * *", "UTC", ScheduleJobKind.DATABASE, Duration.ofMinutes(30));

    double missedBefore = count("kanbu.backup.schedule.missed", "missed");

    clock.set(Instant.parse("2026-11-30T03:40:00Z"));
    assertThat(replicaB.fireDueSchedules()).isEqualTo(1);

    assertThat(count("kanbu.backup.schedule.missed", "missed") - missedBefore).isEqualTo(3);

    assertThat(firingsOf(schedule))
        .extracting(ScheduleFiring::getOutcome)
        .containsExactly(FiringOutcome.MISSED, FiringOutcome.MISSED, FiringOutcome.MISSED);
    assertThat(firingsOf(schedule).getLast().getDetail()).contains("older than the grace period");
    assertThat(jobsOfTarget(schedule)).isZero();
    ScheduleEvent event = onlyMissedEventOf(schedule);
    assertThat(event.data().outcome()).isEqualTo(ScheduleEvent.MISSED);
    assertThat(event.data().missedCount()).isEqualTo(3);
    assertThat(event.data().jobIds()).isEmpty();
    assertThat(reload(schedule).getNextFireAt()).isEqualTo(Instant.parse("2026-11-30T04:00:00Z"));

    // the next regular fire time runs as usual
    clock.set(Instant.parse("2026-11-30T04:00:01Z"));
    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);
    assertThat(firingsOf(schedule).getLast().getOutcome()).isEqualTo(FiringOutcome.JOB_CREATED);
  }

  @Test
  void misfirePolicySkip_recordsMissedFiringsWithoutRunningThem() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule = save("0 * * * *", "UTC", ScheduleJobKind.DATABASE, null);
    transactions.executeWithoutResult(
        tx -> {
          BackupSchedule loaded = reload(schedule);
          loaded.change(
              loaded.getName(),
              loaded.getJobKind(),
              loaded.getTarget(),
              MisfirePolicy.SKIP,
              null,
              clock.instant());
          schedules.save(loaded);
        });

    clock.set(Instant.parse("2026-11-30T02:10:00Z"));
    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);

    assertThat(firingsOf(schedule))
        .extracting(ScheduleFiring::getOutcome)
        .containsExactly(FiringOutcome.MISSED, FiringOutcome.MISSED);
    assertThat(jobsOfTarget(schedule)).isZero();
    assertThat(onlyMissedEventOf(schedule).data().detail()).contains("SKIP");
  }

  @Test
  void dailyAt0230InAmsterdam_firesOnceOnTheSpringForwardAndOnceOnTheFallBackDay() {
    clock.set(Instant.parse("2026-03-27T12:00:00Z"));
    BackupSchedule schedule =
        save("30 2 * * *", "Europe/Amsterdam", ScheduleJobKind.DATABASE, null);
    tickEvery(Duration.ofMinutes(10), Instant.parse("2026-03-31T00:00:00Z"), schedule);

    assertThat(firingsOf(schedule))
        .extracting(ScheduleFiring::getFireTime)
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-03-29T01:30:00Z"), // no 02:30 that day: 03:30 CEST, once
            Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST

    jdbc.update("DELETE FROM backup_schedule");
    clock.set(Instant.parse("2026-10-23T12:00:00Z"));
    schedule = save("30 2 * * *", "Europe/Amsterdam", ScheduleJobKind.DATABASE, null);
    tickEvery(Duration.ofMinutes(10), Instant.parse("2026-10-27T00:00:00Z"), schedule);

    assertThat(firingsOf(schedule))
        .extracting(ScheduleFiring::getFireTime)
        .containsExactly(
            Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
            Instant.parse("2026-10-25T00:30:00Z"), // 02:30 happens twice: the first one only
            Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
    assertThat(firingsOf(schedule))
        .extracting(ScheduleFiring::getOutcome)
        .containsOnly(FiringOutcome.JOB_CREATED);
  }

  @Test
  void externalMode_firesNothing() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule = save("0 * * * *", "UTC", ScheduleJobKind.DATABASE, null);
    clock.set(Instant.parse("2026-11-30T01:00:05Z"));

    assertThat(replica("replica-external", SchedulerMode.EXTERNAL).fireDueSchedules()).isZero();

    assertThat(firingsOf(schedule)).isEmpty();
    assertThat(reload(schedule).getNextFireAt()).isEqualTo(Instant.parse("2026-11-30T01:00:00Z"));
  }

  @Test
  void verifySchedule_withNoBackupYet_recordsThatThereWasNothingToDo() {
    clock.set(Instant.parse("2026-11-30T00:00:30Z"));
    BackupSchedule schedule = save("0 * * * *", "UTC", ScheduleJobKind.VERIFY, null);
    clock.set(Instant.parse("2026-11-30T01:00:05Z"));

    assertThat(replicaA.fireDueSchedules()).isEqualTo(1);

    ScheduleFiring firing = firingsOf(schedule).getFirst();
    assertThat(firing.getOutcome()).isEqualTo(FiringOutcome.SKIPPED_NOTHING_TO_DO);
    assertThat(firing.getDetail()).contains("no available backup to verify");
  }

  /** The value of a counter with that outcome, 0 before it was first counted. */
  private double count(String name, String outcome) {
    io.micrometer.core.instrument.Counter counter =
        registry.find(name).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private DueScheduleRunner replica(String name, SchedulerMode mode) {
    return new DueScheduleRunner(
        schedules,
        events,
        firer,
        eventRelay,
        codec,
        transactions,
        clock,
        mode,
        Duration.ofHours(1),
        name,
        metrics);
  }

  /** Both replicas look for due schedules at the same moment; how many handled one. */
  private int race(DueScheduleRunner a, DueScheduleRunner b) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (DueScheduleRunner replica : List.of(a, b)) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return replica.fireDueSchedules();
              }));
    }
    go.countDown();
    int handled = 0;
    for (Future<Integer> result : results) {
      try {
        handled += result.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return handled;
  }

  private void tickEvery(Duration step, Instant until, BackupSchedule schedule) {
    while (clock.instant().isBefore(until)) {
      clock.advance(step);
      replicaA.fireDueSchedules();
      finishJobsOf(schedule);
    }
  }

  private BackupSchedule save(
      String cron, String zone, ScheduleJobKind kind, @Nullable Duration grace) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    BackupSchedule schedule =
        new BackupSchedule(
            UUID.randomUUID(),
            "it-" + suffix,
            kind,
            "sched-it-" + suffix,
            CronSchedule.parse(cron, ZoneId.of(zone)),
            true,
            MisfirePolicy.RUN_ONCE,
            grace,
            "schedule-firing-it",
            clock.instant());
    return transactions.execute(tx -> schedules.save(schedule));
  }

  private BackupSchedule reload(BackupSchedule schedule) {
    return schedules.findById(schedule.getId()).orElseThrow();
  }

  private List<ScheduleFiring> firingsOf(BackupSchedule schedule) {
    return firings
        .findByScheduleIdOrderByFireTimeDesc(schedule.getId(), Pageable.unpaged())
        .getContent()
        .reversed();
  }

  private int jobsOfTarget(BackupSchedule schedule) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM backup_job WHERE target = ?", Integer.class, schedule.getTarget());
  }

  /** Plays the worker: the schedule's jobs end, so the next firing may start new ones. */
  private void finishJobsOf(BackupSchedule schedule) {
    jdbc.update(
        "UPDATE backup_job SET status = 'SUCCEEDED', finished_at = now() WHERE target = ?"
            + " AND status = 'QUEUED'",
        schedule.getTarget());
  }

  private void finishJob(BackupJob job) {
    jdbc.update(
        "UPDATE backup_job SET status = 'SUCCEEDED', finished_at = now() WHERE id = ?",
        job.getId());
  }

  /** The one schedule.missed event of the schedule: in the outbox, and on the broker. */
  private ScheduleEvent onlyMissedEventOf(BackupSchedule schedule) {
    List<JobEventRecord> recorded =
        events.findAll().stream().filter(e -> schedule.getId().equals(e.getScheduleId())).toList();
    assertThat(recorded)
        .singleElement()
        .extracting(JobEventRecord::getEventType)
        .isEqualTo(ScheduleEvent.SCHEDULE_MISSED);
    JobEventRecord record = recorded.getFirst();
    Message message =
        await()
            .atMost(AWAIT)
            .until(
                () -> rabbit.receive(scheduleEvents.getName(), 200),
                m ->
                    m != null
                        && record
                            .getId()
                            .toString()
                            .equals(m.getMessageProperties().getMessageId()));
    assertThat(message.getMessageProperties().getReceivedRoutingKey())
        .isEqualTo(ScheduleEvent.SCHEDULE_MISSED);
    assertThat(message.getMessageProperties().getHeaders())
        .containsEntry(MessagingTopology.SCHEDULE_ID_HEADER, schedule.getId().toString())
        .doesNotContainKey(MessagingTopology.JOB_ID_HEADER);
    ScheduleEvent event = codec.decodeScheduleEvent(message.getBody());
    assertThat(event.id()).isEqualTo(record.getId());
    assertThat(event.data().scheduleId()).isEqualTo(schedule.getId());
    assertThat(event.data().scheduleName()).isEqualTo(schedule.getName());
    assertThat(event.data().target()).isEqualTo(schedule.getTarget());
    assertThat(events.findById(record.getId()).orElseThrow().getPublishedAt()).isNotNull();
    return event;
  }
}
