package io.kanbu.backup.gateway.webhooks;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST} and {@code PUT /api/v1/webhooks}: absent fields keep their value (on
 * creation: {@code events} every event, {@code format} standard).
 *
 * @param url where deliveries go: {@code https} (or {@code http} when allowed), to a public address
 * @param description what it is for
 * @param events event types or patterns: {@code job.failed}, {@code job.*}, {@code *}
 * @param format {@code standard}, {@code slack}, {@code discord} or {@code kanbu-legacy}
 * @param enabled {@code true} starts deliveries again (and forgets past failures), {@code false}
 *     stops them
 */
public record WebhookBody(
    @Nullable String url,
    @Nullable String description,
    @Nullable List<String> events,
    @Nullable String format,
    @Nullable Boolean enabled) {}
