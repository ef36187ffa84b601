package io.kanbu.backup.gateway.api;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body that must be one JSON object, read with the API's refusals: empty, not JSON (a
 * repeated field counts as not JSON), not an object. Each is a 400 naming {@code body} and showing
 * a valid example. Also the helpers every body parser needs to echo what a caller sent.
 */
public final class JsonObjectBody {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonObjectBody() {}

  /**
   * Reads the body.
   *
   * @param example a valid body, shown in every refusal
   * @throws ApiProblemException 400 naming {@code body}
   */
  public static JsonNode read(byte @Nullable [] body, String example) {
    if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
      throw ApiProblemException.badRequest(
          "body",
          "the request body is empty; send a JSON object such as "
              + example
              + " with 'Content-Type: application/json'");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw ApiProblemException.badRequest(
          "body",
          "the request body is not valid JSON ("
              + firstLine(e.getOriginalMessage())
              + "); send a JSON object such as "
              + example);
    }
    if (root == null || !root.isObject()) {
      throw ApiProblemException.badRequest(
          "body", "the request body must be a JSON object such as " + example);
    }
    return root;
  }

  /** The first line of a parser's message, for a problem detail. */
  public static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A caller's value, safe to echo: bounded and without control characters. */
  public static String printable(String value) {
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() <= 64 ? cleaned : cleaned.substring(0, 64) + "…";
  }
}
