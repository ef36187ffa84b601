package io.kanbu.backup.model.catalog;

import io.kanbu.backup.model.messaging.JobEvent;
import io.kanbu.backup.model.messaging.MessageCodec;
import io.kanbu.backup.model.messaging.ScheduleEvent;
import io.kanbu.backup.model.messaging.WebhookEndpointDisabledEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event waiting to be (or already) published: the event outbox. A job event is inserted in the
 * same transaction as the job's final state, a schedule event ({@code schedule.missed}) in the same
 * transaction as the firings it reports, so an event can be late but never lost.
 */
@Entity
@Table(name = "job_event")
public class JobEventRecord {

  @Id private UUID id;

  /** The job the event is about; null for a schedule or webhook endpoint event. */
  @Column(name = "job_id")
  private @Nullable UUID jobId;

  /** The schedule a schedule event is about; null for other events. */
  @Column(name = "schedule_id")
  private @Nullable UUID scheduleId;

  /** The endpoint a {@code webhook.endpoint_disabled} event is about; null for other events. */
  @Column(name = "webhook_endpoint_id")
  private @Nullable UUID webhookEndpointId;

  @Column(name = "event_type", nullable = false)
  private String eventType;

  /** The encoded {@link io.kanbu.backup.model.messaging.JobEvent}, exactly as published. */
  @Column(nullable = false)
  private String payload;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "published_at")
  private @Nullable Instant publishedAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected JobEventRecord() {}

  public JobEventRecord(UUID id, UUID jobId, String eventType, String payload, Instant createdAt) {
    this(id, Objects.requireNonNull(jobId, "jobId"), null, null, eventType, payload, createdAt);
  }

  private JobEventRecord(
      UUID id,
      @Nullable UUID jobId,
      @Nullable UUID scheduleId,
      @Nullable UUID webhookEndpointId,
      String eventType,
      String payload,
      Instant createdAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.jobId = jobId;
    this.scheduleId = scheduleId;
    this.webhookEndpointId = webhookEndpointId;
    this.eventType = Objects.requireNonNull(eventType, "eventType");
    this.payload = Objects.requireNonNull(payload, "payload");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * The outbox row announcing that {@code job} ended, with what a subscriber needs from the job
   * and, if it produced one, the backup.
   */
  public static JobEventRecord jobEnded(
      BackupJob job, @Nullable BackupRecord backup, MessageCodec codec, Instant now) {
    return jobEnded(job, backup, null, codec, now);
  }

  /** The event for a restore drill's end, carrying its result. */
  public static JobEventRecord jobEnded(
      BackupJob job,
      @Nullable BackupRecord backup,
      JobEvent.@Nullable Drill drill,
      MessageCodec codec,
      Instant now) {
    return jobEnded(job, backup, drill, null, codec, now);
  }

  /** The event for a job's end that carries the backup's copies (and a drill's result, if any). */
  public static JobEventRecord jobEnded(
      BackupJob job,
      @Nullable BackupRecord backup,
      JobEvent.@Nullable Drill drill,
      JobEvent.@Nullable Copies copies,
      MessageCodec codec,
      Instant now) {
    return of(
        JobEvent.jobEnded(UUID.randomUUID(), now, data(job, backup, drill).withCopies(copies)),
        job,
        codec);
  }

  /**
   * The {@code backup.degraded} or {@code backup.repaired} event of a job that changed whether a
   * backup's copies are all intact; its data are the job's, with the copies.
   */
  public static JobEventRecord copiesChanged(
      BackupJob job, JobEvent.Copies copies, MessageCodec codec, Instant now) {
    return of(
        JobEvent.copiesChanged(UUID.randomUUID(), now, data(job, null, null).withCopies(copies)),
        job,
        codec);
  }

  private static JobEvent.Data data(
      BackupJob job, @Nullable BackupRecord backup, JobEvent.@Nullable Drill drill) {
    Duration duration = job.duration();
    return new JobEvent.Data(
            job.getId(),
            job.getType(),
            job.getTarget(),
            job.getStatus(),
            job.getTriggerSource(),
            job.getAttempts(),
            backup == null ? job.getBackupId() : backup.getId(),
            backup == null ? null : backup.getFileName(),
            backup == null ? null : backup.getRawSize(),
            backup == null ? null : backup.getCompressedSize(),
            backup == null ? null : backup.getStoredSize(),
            backup == null ? null : backup.getSha256(),
            backup == null ? null : backup.getSha256Stored(),
            duration == null ? null : duration.toMillis(),
            job.getError())
        .withJobContext(job.getWarnings(), job.getRecoveryPointId(), job.getSummary(), drill)
        .withOrigin(backup == null ? null : backup.isEncrypted(), job.getScheduleName());
  }

  /**
   * The outbox row announcing that a worker claimed {@code job} (its backup, if it works on one,
   * and attempt number; no outcome yet).
   */
  public static JobEventRecord jobStarted(BackupJob job, MessageCodec codec, Instant now) {
    return of(
        JobEvent.jobStarted(
            UUID.randomUUID(),
            now,
            JobEvent.Data.withoutOutcome(
                    job.getId(),
                    job.getType(),
                    job.getTarget(),
                    job.getStatus(),
                    job.getTriggerSource(),
                    job.getAttempts(),
                    job.getBackupId())
                .withJobContext(List.of(), job.getRecoveryPointId(), null, null)
                .withOrigin(null, job.getScheduleName())),
        job,
        codec);
  }

  private static JobEventRecord of(JobEvent event, BackupJob job, MessageCodec codec) {
    return new JobEventRecord(
        event.id(),
        job.getId(),
        event.type(),
        new String(codec.encode(event), StandardCharsets.UTF_8),
        event.occurredAt());
  }

  /** The outbox row of a schedule event. */
  public static JobEventRecord scheduleEvent(ScheduleEvent event, MessageCodec codec) {
    return new JobEventRecord(
        event.id(),
        null,
        event.data().scheduleId(),
        null,
        event.type(),
        new String(codec.encode(event), StandardCharsets.UTF_8),
        event.occurredAt());
  }

  /** The outbox row of a {@code webhook.endpoint_disabled} event. */
  public static JobEventRecord webhookEndpointDisabled(
      WebhookEndpointDisabledEvent event, MessageCodec codec) {
    return new JobEventRecord(
        event.id(),
        null,
        null,
        event.data().endpointId(),
        event.type(),
        new String(codec.encode(event), StandardCharsets.UTF_8),
        event.occurredAt());
  }

  /** What the event is about, for logs: a job, a schedule or a webhook endpoint. */
  public String subject() {
    if (jobId != null) {
      return "job " + jobId;
    }
    return scheduleId != null ? "schedule " + scheduleId : "webhook endpoint " + webhookEndpointId;
  }

  public void markPublished(Instant now) {
    this.publishedAt = now;
  }

  public UUID getId() {
    return id;
  }

  public @Nullable UUID getJobId() {
    return jobId;
  }

  public @Nullable UUID getScheduleId() {
    return scheduleId;
  }

  public @Nullable UUID getWebhookEndpointId() {
    return webhookEndpointId;
  }

  public String getEventType() {
    return eventType;
  }

  public String getPayload() {
    return payload;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getPublishedAt() {
    return publishedAt;
  }
}
