package io.kanbu.backup.model.messaging;

import io.kanbu.backup.model.catalog.WebhookFormat;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body a webhook endpoint is sent for an event, by its format. The event is the envelope as
 * published on {@link MessagingTopology#EVENTS_EXCHANGE} ({@code id}, {@code type}, {@code
 * occurredAt}, {@code data}); every format is rendered from it alone.
 *
 * <ul>
 *   <li>{@code standard}: the envelope, byte for byte.
 *   <li>{@code slack}: {@code {"text": "<summary>"}}; {@code discord}: {@code {"content":
 *       "<summary>"}}, a readable line such as {@code ✅ backup of 'default' succeeded:
 *       kanbu_backup_….sql.gz, 393.0 MiB in 71.1 s}.
 *   <li>{@code kanbu-legacy}: the original Kanbu's {@code {event, timestamp, execution{…},
 *       schedule}}, its event names ({@code backup.completed}, {@code restore.failed}, …) and
 *       values ({@code COMPLETED}, {@code MANUAL}, …), so receivers written for it keep working.
 * </ul>
 */
public final class WebhookPayloads {

  /** The type of a test delivery ({@code POST /api/v1/webhooks/{id}/test}); never published. */
  public static final String TEST_EVENT_TYPE = "webhook.test";

  private static final JsonMapper MAPPER = new JsonMapper();

  private WebhookPayloads() {}

  /**
   * The body for an endpoint of this format.
   *
   * @throws IllegalArgumentException if the event is not a JSON envelope with {@code type}
   */
  public static byte[] render(WebhookFormat format, byte[] event) {
    if (format == WebhookFormat.STANDARD) {
      return event.clone();
    }
    JsonNode envelope = read(event);
    ObjectNode body = MAPPER.createObjectNode();
    switch (format) {
      case SLACK -> body.put("text", summary(envelope));
      case DISCORD -> body.put("content", summary(envelope));
      case KANBU_LEGACY -> legacy(envelope, body);
      case STANDARD -> throw new IllegalStateException("handled above");
    }
    return MAPPER.writeValueAsBytes(body);
  }

  /** The envelope of a test delivery to an endpoint. */
  public static byte[] testEvent(UUID id, UUID endpointId, java.time.Instant now) {
    ObjectNode envelope = MAPPER.createObjectNode();
    envelope.put("schemaVersion", JobEvent.SCHEMA_VERSION);
    envelope.put("id", id.toString());
    envelope.put("type", TEST_EVENT_TYPE);
    envelope.put("occurredAt", now.toString());
    ObjectNode data = envelope.putObject("data");
    data.put("endpointId", endpointId.toString());
    data.put("message", "a test delivery from Kanbu Backup; no job ran");
    return MAPPER.writeValueAsBytes(envelope);
  }

  /** One readable line for chat: what happened, to which target, and the essentials. */
  public static String summary(JsonNode envelope) {
    String type = text(envelope, "type");
    JsonNode data = envelope.path("data");
    if (TEST_EVENT_TYPE.equals(type)) {
      return "🔔 test delivery from Kanbu Backup: this endpoint is reachable";
    }
    if (WebhookEndpointDisabledEvent.TYPE.equals(type)) {
      return "⚠️ webhook endpoint '"
          + text(data, "host")
          + "' disabled: "
          + text(data, "reason")
          + " (re-enable it with PUT /api/v1/webhooks/"
          + text(data, "endpointId")
          + ")";
    }
    if (JobEvent.BACKUP_DEGRADED.equals(type) || JobEvent.BACKUP_REPAIRED.equals(type)) {
      return copies(type, data);
    }
    String status = text(data, "status");
    if (JobEvent.JOB_STARTED.equals(type)) {
      int attempt = data.path("attempts").asInt();
      return "▶️ "
          + what(text(data, "jobType"))
          + " of '"
          + text(data, "target")
          + "' started"
          + (attempt > 1 ? " (attempt " + attempt + ")" : "");
    }
    boolean ok = "SUCCEEDED".equals(status);
    StringBuilder line = new StringBuilder();
    line.append(ok ? "✅ " : "CANCELLED".equals(status) ? "⏹️ " : "❌ ");
    line.append(what(text(data, "jobType")))
        .append(" of '")
        .append(text(data, "target"))
        .append("' ")
        .append(status.toLowerCase(Locale.ROOT));
    if (ok && data.hasNonNull("fileName")) {
      line.append(": ").append(text(data, "fileName"));
      if (data.hasNonNull("storedBytes")) {
        line.append(", ").append(mebibytes(data.path("storedBytes").asLong()));
      }
    } else if (ok && data.hasNonNull("summary")) {
      line.append(": ").append(text(data, "summary"));
    }
    if (data.hasNonNull("durationMs")) {
      line.append(String.format(Locale.ROOT, " in %.1f s", data.path("durationMs").asLong() / 1e3));
    }
    if (data.hasNonNull("warningCount")) {
      line.append(" (").append(data.path("warningCount").asInt()).append(" warnings)");
    }
    if (!ok && data.hasNonNull("error")) {
      String error = text(data, "error").lines().findFirst().orElse("");
      line.append(": ").append(error.length() > 300 ? error.substring(0, 300) + "…" : error);
    }
    return line.toString();
  }

  /** A backup's copies changed: which backup, how many copies are there, and what is wrong. */
  private static String copies(String type, JsonNode data) {
    JsonNode copies = data.path("copies");
    StringBuilder line =
        new StringBuilder(JobEvent.BACKUP_DEGRADED.equals(type) ? "⚠️ backup " : "✅ backup ")
            .append(text(data, "backupId"))
            .append(" of '")
            .append(text(data, "target"))
            .append(JobEvent.BACKUP_DEGRADED.equals(type) ? "' degraded: " : "' repaired: ")
            .append(copies.path("available").asInt())
            .append(" of ")
            .append(copies.path("total").asInt())
            .append(" copies available");
    for (JsonNode copy : copies.path("storages")) {
      if (!"AVAILABLE".equals(text(copy, "status"))) {
        line.append("; ").append(text(copy, "storage")).append(' ').append(text(copy, "status"));
      }
    }
    return line.toString();
  }

  /** The original's payload; events it never had keep our type and carry our data. */
  private static void legacy(JsonNode envelope, ObjectNode body) {
    String type = text(envelope, "type");
    JsonNode data = envelope.path("data");
    body.put("event", legacyEvent(type, text(data, "jobType")));
    body.put("timestamp", text(envelope, "occurredAt"));
    if (!data.has("jobId")) {
      body.putNull("execution");
      body.putNull("schedule");
      body.set("data", data.deepCopy());
      return;
    }
    ObjectNode execution = body.putObject("execution");
    execution.put("id", 0); // the original's execution ids were never sent either
    execution.put("type", legacyJobType(text(data, "jobType")));
    execution.put("trigger", legacyTrigger(text(data, "trigger")));
    String status = text(data, "status");
    execution.put("status", "SUCCEEDED".equals(status) ? "COMPLETED" : status);
    execution.set("filename", data.path("fileName").isMissingNode() ? null : data.get("fileName"));
    // the original's fileSize was the size before encryption: the .gz
    execution.set("fileSize", data.get("compressedBytes"));
    execution.set("durationMs", data.get("durationMs"));
    execution.set("errorMessage", data.get("error"));
    if (data.hasNonNull("fileName")) {
      execution.put("isEncrypted", text(data, "fileName").endsWith(".enc"));
    }
    if (data.hasNonNull("sha256")) {
      execution.put("checksum", text(data, "sha256"));
    }
    body.putNull("schedule");
  }

  private static String legacyEvent(String type, String jobType) {
    boolean backup = jobType.startsWith("BACKUP_");
    boolean restore = jobType.startsWith("RESTORE_");
    return switch (type) {
      case JobEvent.JOB_SUCCEEDED ->
          backup ? "backup.completed" : restore ? "restore.completed" : type;
      case JobEvent.JOB_FAILED -> backup ? "backup.failed" : restore ? "restore.failed" : type;
      case JobEvent.RESTORE_SUCCEEDED -> "restore.completed";
      case JobEvent.RESTORE_FAILED -> "restore.failed";
      default -> type;
    };
  }

  private static String legacyJobType(String jobType) {
    return switch (jobType) {
      case "BACKUP_DATABASE" -> "database";
      case "BACKUP_SOURCE" -> "source";
      default -> jobType.toLowerCase(Locale.ROOT);
    };
  }

  private static String legacyTrigger(String trigger) {
    return switch (trigger) {
      case "SCHEDULE" -> "SCHEDULED";
      case "MESSAGE" -> "EXTERNAL";
      default -> "MANUAL";
    };
  }

  private static String what(String jobType) {
    return switch (jobType) {
      case "BACKUP_DATABASE" -> "database backup";
      case "BACKUP_SOURCE" -> "source backup";
      case "RESTORE_DATABASE" -> "database restore";
      case "RESTORE_SOURCE" -> "source restore";
      case "VERIFY" -> "verification";
      default -> jobType.toLowerCase(Locale.ROOT) + " job";
    };
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "" : value.asString();
  }

  private static JsonNode read(byte[] event) {
    JsonNode envelope;
    try {
      envelope = MAPPER.readTree(event);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("event is not JSON", e);
    }
    if (envelope == null || !envelope.isObject() || !envelope.has("type")) {
      throw new IllegalArgumentException("event is not an envelope with a type");
    }
    return envelope;
  }

  /** Reads an envelope (for {@link #summary}). */
  public static JsonNode envelope(byte[] event) {
    return read(event);
  }

  /** The envelope's {@code id} and {@code type}. */
  public record Header(UUID id, String type) {
    public Header {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Reads the id and type of an envelope.
   *
   * @throws IllegalArgumentException if it has none
   */
  public static Header header(byte[] event) {
    JsonNode envelope = read(event);
    try {
      return new Header(UUID.fromString(text(envelope, "id")), text(envelope, "type"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("event id is not a UUID", e);
    }
  }

  /** The body as text, for the catalog. */
  public static String asText(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
