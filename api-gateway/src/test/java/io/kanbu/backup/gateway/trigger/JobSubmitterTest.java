package io.kanbu.backup.gateway.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.enqueue.JobEnqueuer;
import io.kanbu.backup.model.job.JobType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** How a trigger becomes jobs, without a catalog or a broker (both are mocked). */
class JobSubmitterTest {

  private final BackupJobRepository jobs = mock(BackupJobRepository.class);
  private final CommandOutboxRelay relay = mock(CommandOutboxRelay.class);
  private final List<BackupJob> saved = new ArrayList<>();
  private JobSubmitter submitter;

  @BeforeEach
  void setUp() {
    when(jobs.saveAndFlush(any()))
        .thenAnswer(
            call -> {
              BackupJob job = call.getArgument(0);
              saved.add(job);
              return job;
            });
    when(jobs.findByIdempotencyKey(any())).thenReturn(Optional.empty());
    when(relay.publish(any())).thenReturn(true);
    GatewayProperties props =
        new GatewayProperties(
            new GatewayProperties.Trigger("k", Duration.ofHours(1), Duration.ofMillis(250), 3),
            new GatewayProperties.Storage(
                "local",
                Path.of("/tmp"),
                new io.kanbu.backup.core.storage.GoogleDriveProperties(
                    null, null, null, null, null, null)),
            new GatewayProperties.Outbox(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)),
            Map.of(),
            new GatewayProperties.Schedules("both", "UTC"));
    submitter =
        new JobSubmitter(
            jobs,
            new JobEnqueuer(
                jobs, relay, new TransactionTemplate(mock(PlatformTransactionManager.class))),
            Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
            props);
  }

  @Test
  void all_createsADatabaseAndASourceJob_sharingOneRecoveryPoint_andPublishesBoth() {
    TriggerRequest all =
        new TriggerRequest(List.of(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE), "default");

    JobSubmitter.Submission submission = submitter.submit(all, "key-1", "cron");

    assertThat(submission.jobs())
        .extracting(BackupJob::getType)
        .containsExactly(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE);
    assertThat(saved).hasSize(2);
    assertThat(saved.get(0).getRecoveryPointId())
        .isNotNull()
        .isEqualTo(saved.get(1).getRecoveryPointId());
    // the catalog keeps an idempotency key unique: the first job holds it for the request
    assertThat(saved.get(0).getIdempotencyKey()).isEqualTo("key-1");
    assertThat(saved.get(1).getIdempotencyKey()).isNull();
    verify(relay, times(2)).publish(any());
    assertThat(submission.replayed()).isFalse();
  }

  @Test
  void oneType_createsOneJob_outsideAnyRecoveryPoint() {
    JobSubmitter.Submission submission =
        submitter.submit(new TriggerRequest(JobType.BACKUP_SOURCE, "default"), null, "cron");

    assertThat(submission.jobs()).singleElement();
    assertThat(submission.job().getType()).isEqualTo(JobType.BACKUP_SOURCE);
    assertThat(submission.job().getRecoveryPointId()).isNull();
  }

  @Test
  void repeatedKey_returnsTheWholeRecoveryPoint_andAKeyReusedForOneJobIsAConflict() {
    TriggerRequest all =
        new TriggerRequest(List.of(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE), "default");
    JobSubmitter.Submission first = submitter.submit(all, "key-2", "cron");
    BackupJob holder = first.jobs().getFirst();
    when(jobs.findByIdempotencyKey("key-2")).thenReturn(Optional.of(holder));
    // the repository returns the group in any order; the answer lists it database first
    when(jobs.findByRecoveryPointId(holder.getRecoveryPointId()))
        .thenReturn(List.of(first.jobs().get(1), first.jobs().get(0)));

    JobSubmitter.Submission again = submitter.submit(all, "key-2", "cron");

    assertThat(again.replayed()).isTrue();
    assertThat(again.jobs()).containsExactlyElementsOf(first.jobs());
    assertThatThrownBy(
            () ->
                submitter.submit(
                    new TriggerRequest(JobType.BACKUP_DATABASE, "default"), "key-2", "cron"))
        .isInstanceOf(ApiProblemException.class)
        .hasMessageContaining("key-2");
  }
}
