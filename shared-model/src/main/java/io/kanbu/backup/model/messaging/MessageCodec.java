package io.kanbu.backup.model.messaging;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the wire messages. Every message read is checked against its JSON Schema first,
 * so a bad message is refused with a reason that names the offending field, and no half-valid
 * object reaches the code behind it. Thread-safe.
 */
public final class MessageCodec {

  private static final JsonMapper TREE_READER = JsonMapper.builder().build();

  private final JsonMapper mapper =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
  private final Schema commandSchema = loadSchema("backup-command.v1.schema.json");
  private final Schema eventSchema = loadSchema("job-event.v1.schema.json");

  public byte[] encode(BackupCommand command) {
    return mapper.writeValueAsBytes(command);
  }

  public byte[] encode(JobEvent event) {
    return mapper.writeValueAsBytes(event);
  }

  public byte[] encode(ScheduleEvent event) {
    return mapper.writeValueAsBytes(event);
  }

  public byte[] encode(WebhookEndpointDisabledEvent event) {
    return mapper.writeValueAsBytes(event);
  }

  /**
   * Checks an event of any type against the event schema, without reading it into a record: for
   * subscribers that pass events on as they are (the webhook fan-out).
   *
   * @throws InvalidMessageException if the bytes are not JSON or break the event schema
   */
  public void validateEvent(byte[] body) {
    validate(body, eventSchema, "event");
  }

  /**
   * Reads a command.
   *
   * @throws InvalidMessageException if the bytes are not JSON or break the command schema
   */
  public BackupCommand decodeCommand(byte[] body) {
    return decode(body, commandSchema, BackupCommand.class, "command", Map.of());
  }

  /**
   * Reads an event.
   *
   * @throws InvalidMessageException if the bytes are not JSON or break the event schema
   */
  public JobEvent decodeEvent(byte[] body) {
    return decode(
        body,
        eventSchema,
        JobEvent.class,
        "event",
        Map.of(
            ScheduleEvent.SCHEDULE_MISSED,
            "a schedule event",
            WebhookEndpointDisabledEvent.TYPE,
            "a webhook endpoint event"));
  }

  /**
   * Reads a schedule event ({@code schedule.missed}).
   *
   * @throws InvalidMessageException if the bytes are not JSON, break the event schema, or are a job
   *     event
   */
  public ScheduleEvent decodeScheduleEvent(byte[] body) {
    return decode(body, eventSchema, ScheduleEvent.class, "schedule event", Map.of());
  }

  /**
   * @param otherTypes event types that are valid but read by another method, with what they are:
   *     named in the refusal
   */
  private <T> T decode(
      byte[] body, Schema schema, Class<T> type, String what, Map<String, String> otherTypes) {
    JsonNode tree = validate(body, schema, what);
    String eventType = tree.path("type").asString("");
    if (otherTypes.containsKey(eventType)) {
      throw new InvalidMessageException(
          what + " is a '" + eventType + "' event; read it as " + otherTypes.get(eventType));
    }
    if (type == ScheduleEvent.class && !ScheduleEvent.SCHEDULE_MISSED.equals(eventType)) {
      throw new InvalidMessageException(
          what + " is a '" + eventType + "' event; read it as a job event");
    }
    try {
      return mapper.readValue(body, type);
    } catch (JacksonException e) {
      throw new InvalidMessageException(
          what + " cannot be read: " + firstLine(e.getOriginalMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(what + " is not valid: " + e.getMessage(), e);
    }
  }

  /** The message as a tree, after the schema check. */
  private static JsonNode validate(byte[] body, Schema schema, String what) {
    JsonNode tree;
    try {
      tree = TREE_READER.readTree(body);
    } catch (JacksonException e) {
      throw new InvalidMessageException(
          what + " is not valid JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (tree == null || tree.isMissingNode()) {
      throw new InvalidMessageException(what + " is empty; expected a JSON object");
    }
    List<Error> violations = schema.validate(tree);
    if (!violations.isEmpty()) {
      throw new InvalidMessageException(
          what
              + " breaks its schema: "
              + violations.stream()
                  .map(Error::toString)
                  .sorted()
                  .collect(Collectors.joining("; ")));
    }
    return tree;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Schema loadSchema(String name) {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
    try (InputStream in = MessageCodec.class.getResourceAsStream("/schemas/" + name)) {
      if (in == null) {
        throw new IllegalStateException("schema '" + name + "' is missing from the classpath");
      }
      return registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException("unable to read schema '" + name + "'", e);
    }
  }
}
