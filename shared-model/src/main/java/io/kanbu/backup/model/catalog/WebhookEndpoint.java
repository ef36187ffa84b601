package io.kanbu.backup.model.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A subscriber of events: where they go, which ones, in which format and signed with which
 * secret(s). Secrets are never part of {@link #toString()}, logs, events or API answers (but the
 * one answer that creates or rotates them).
 */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint {

  /** Created through the API. */
  public static final String MANAGED_BY_API = "api";

  /** The endpoint of {@code BACKUP_WEBHOOK_URL}, kept in step with the environment by workers. */
  public static final String MANAGED_BY_ENVIRONMENT = "environment";

  /** The fixed id of the endpoint of {@code BACKUP_WEBHOOK_URL}. */
  public static final UUID ENVIRONMENT_ENDPOINT_ID =
      UUID.fromString("00000000-0000-4000-8000-00000000a001");

  @Id private UUID id;

  @Column(nullable = false)
  private String url;

  private @Nullable String description;

  @Column(name = "event_filter", nullable = false)
  private String eventFilter;

  @Column(nullable = false)
  private WebhookFormat format;

  private @Nullable String secret;

  @Column(name = "previous_secret")
  private @Nullable String previousSecret;

  @Column(name = "previous_secret_until")
  private @Nullable Instant previousSecretUntil;

  @Column(nullable = false)
  private boolean enabled;

  @Column(name = "disabled_reason")
  private @Nullable String disabledReason;

  @Column(name = "disabled_at")
  private @Nullable Instant disabledAt;

  @Column(name = "consecutive_failures", nullable = false)
  private int consecutiveFailures;

  @Column(name = "managed_by", nullable = false)
  private String managedBy;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  /** For JPA only. */
  @SuppressWarnings("NullAway.Init")
  protected WebhookEndpoint() {}

  private WebhookEndpoint(
      UUID id,
      String url,
      @Nullable String description,
      WebhookEventFilter filter,
      WebhookFormat format,
      @Nullable String secret,
      String managedBy,
      Instant now) {
    this.id = Objects.requireNonNull(id, "id");
    this.url = Objects.requireNonNull(url, "url");
    this.description = description;
    this.eventFilter = filter.asStored();
    this.format = Objects.requireNonNull(format, "format");
    this.secret = secret;
    this.enabled = true;
    this.managedBy = managedBy;
    this.createdAt = now;
    this.updatedAt = now;
  }

  /** An endpoint created through the API, enabled. */
  public static WebhookEndpoint create(
      UUID id,
      String url,
      @Nullable String description,
      WebhookEventFilter filter,
      WebhookFormat format,
      String secret,
      Instant now) {
    return new WebhookEndpoint(
        id, url, description, filter, format, Objects.requireNonNull(secret), MANAGED_BY_API, now);
  }

  /** The endpoint of {@code BACKUP_WEBHOOK_URL}. */
  public static WebhookEndpoint fromEnvironment(
      String url, WebhookEventFilter filter, @Nullable String secret, Instant now) {
    return new WebhookEndpoint(
        ENVIRONMENT_ENDPOINT_ID,
        url,
        "BACKUP_WEBHOOK_URL",
        filter,
        WebhookFormat.KANBU_LEGACY,
        secret,
        MANAGED_BY_ENVIRONMENT,
        now);
  }

  /** Brings the environment's endpoint in step with the environment; true if anything changed. */
  public boolean followEnvironment(
      String newUrl, WebhookEventFilter filter, @Nullable String newSecret, Instant now) {
    boolean changed =
        !newUrl.equals(url)
            || !filter.asStored().equals(eventFilter)
            || !Objects.equals(newSecret, secret);
    url = newUrl;
    eventFilter = filter.asStored();
    secret = newSecret;
    if (changed) {
      // a new address or secret deserves a fresh start
      enable(now);
    }
    return changed;
  }

  /** Changes what an operator may change; a null argument leaves the value as it is. */
  public void update(
      @Nullable String newUrl,
      @Nullable String newDescription,
      @Nullable WebhookEventFilter filter,
      @Nullable WebhookFormat newFormat,
      Instant now) {
    if (newUrl != null) {
      url = newUrl;
    }
    if (newDescription != null) {
      description = newDescription.isBlank() ? null : newDescription;
    }
    if (filter != null) {
      eventFilter = filter.asStored();
    }
    if (newFormat != null) {
      format = newFormat;
    }
    updatedAt = now;
  }

  /** Replaces the secret; the old one still signs until {@code oldValidUntil}. */
  public void rotateSecret(String newSecret, Instant oldValidUntil, Instant now) {
    previousSecret = secret;
    previousSecretUntil = previousSecret == null ? null : oldValidUntil;
    secret = newSecret;
    updatedAt = now;
  }

  /** The secrets that sign a delivery now: the current one, and the previous during its grace. */
  public List<String> signingSecrets(Instant now) {
    List<String> secrets = new ArrayList<>();
    if (secret != null) {
      secrets.add(secret);
    }
    if (previousSecret != null
        && previousSecretUntil != null
        && now.isBefore(previousSecretUntil)) {
      secrets.add(previousSecret);
    }
    return secrets;
  }

  /** Stops deliveries to the endpoint, with the reason an operator reads. */
  public void disable(String reason, Instant now) {
    enabled = false;
    disabledReason = reason;
    disabledAt = now;
    updatedAt = now;
  }

  /** Starts deliveries again and forgets past failures. */
  public void enable(Instant now) {
    enabled = true;
    disabledReason = null;
    disabledAt = null;
    consecutiveFailures = 0;
    updatedAt = now;
  }

  /** A delivery failed for good; returns the number of such failures in a row. */
  public int recordFailedDelivery(Instant now) {
    consecutiveFailures++;
    updatedAt = now;
    return consecutiveFailures;
  }

  /** A delivery went through: the run of failures ends. */
  public void recordDelivered() {
    consecutiveFailures = 0;
  }

  public boolean accepts(String eventType) {
    return enabled && filter().matches(eventType);
  }

  /** The URL's host, which (unlike the URL, whose path may hold a token) may be shown. */
  public String host() {
    try {
      String host = URI.create(url).getHost();
      return host == null ? "?" : host;
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  public boolean isManagedByEnvironment() {
    return MANAGED_BY_ENVIRONMENT.equals(managedBy);
  }

  public WebhookEventFilter filter() {
    return WebhookEventFilter.parse(eventFilter);
  }

  public UUID getId() {
    return id;
  }

  public String getUrl() {
    return url;
  }

  public @Nullable String getDescription() {
    return description;
  }

  public WebhookFormat getFormat() {
    return format;
  }

  public @Nullable String getSecret() {
    return secret;
  }

  public @Nullable Instant getPreviousSecretUntil() {
    return previousSecret == null ? null : previousSecretUntil;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public @Nullable String getDisabledReason() {
    return disabledReason;
  }

  public @Nullable Instant getDisabledAt() {
    return disabledAt;
  }

  public int getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public String getManagedBy() {
    return managedBy;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  @Override
  public String toString() {
    return "webhook endpoint " + id + " (" + host() + ", " + format.wireName() + ")";
  }
}
