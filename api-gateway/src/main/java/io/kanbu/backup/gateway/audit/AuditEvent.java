package io.kanbu.backup.gateway.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One audited action. Never updated or deleted by the gateway. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private @Nullable Long id;

  @Column(name = "occurred_at", nullable = false)
  private Instant occurredAt;

  @Column(nullable = false)
  private String actor;

  @Column(name = "authenticated_by", nullable = false)
  private String authenticatedBy;

  @Column(nullable = false)
  private String action;

  private @Nullable String target;

  @Column(name = "remote_address")
  private @Nullable String remoteAddress;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private AuditOutcome outcome;

  @Column(name = "http_status")
  private @Nullable Integer httpStatus;

  private @Nullable String detail;

  protected AuditEvent() {}

  AuditEvent(AuditRecord record, Instant occurredAt) {
    this.occurredAt = occurredAt;
    this.actor = cut(record.actor(), 200);
    this.authenticatedBy = record.authenticatedBy().label();
    this.action = cut(record.action(), 300);
    this.target = record.target() == null ? null : cut(record.target(), 500);
    this.remoteAddress = record.remoteAddress() == null ? null : cut(record.remoteAddress(), 64);
    this.outcome = record.outcome();
    this.httpStatus = record.httpStatus();
    this.detail = record.detail() == null ? null : cut(record.detail(), 1000);
  }

  private static String cut(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }

  public @Nullable Long getId() {
    return id;
  }

  public Instant getOccurredAt() {
    return occurredAt;
  }

  public String getActor() {
    return actor;
  }

  public String getAuthenticatedBy() {
    return authenticatedBy;
  }

  public String getAction() {
    return action;
  }

  public @Nullable String getTarget() {
    return target;
  }

  public @Nullable String getRemoteAddress() {
    return remoteAddress;
  }

  public AuditOutcome getOutcome() {
    return outcome;
  }

  public @Nullable Integer getHttpStatus() {
    return httpStatus;
  }

  public @Nullable String getDetail() {
    return detail;
  }
}
