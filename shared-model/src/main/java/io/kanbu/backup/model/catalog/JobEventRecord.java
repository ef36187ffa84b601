package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event waiting to be (or already) published: the event outbox. It is inserted in the same
 * transaction as the job's final state, so an event can be late but never lost.
 */
@Entity
@Table(name = "job_event")
public class JobEventRecord {

  @Id private UUID id;

  @Column(name = "job_id", nullable = false)
  private UUID jobId;

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
    this.id = Objects.requireNonNull(id, "id");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.eventType = Objects.requireNonNull(eventType, "eventType");
    this.payload = Objects.requireNonNull(payload, "payload");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
  }

  public void markPublished(Instant now) {
    this.publishedAt = now;
  }

  public UUID getId() {
    return id;
  }

  public UUID getJobId() {
    return jobId;
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
