package io.kanbu.backup.gateway.trigger;

import static io.kanbu.backup.gateway.api.JsonObjectBody.printable;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.JsonObjectBody;
import io.kanbu.backup.model.job.JobType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.JsonNode;

/**
 * Reads and validates everything a trigger request carries: the JSON body, {@code ?wait=}, the
 * {@code Idempotency-Key} and {@code X-Requested-By} headers. Every refusal is an {@link
 * ApiProblemException} naming the field, saying what was wrong and what is allowed.
 */
public final class TriggerRequestParser {

  /** Longest idempotency key accepted (the catalog column's size). */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

  /** Longest {@code requestedBy} kept. */
  public static final int MAX_REQUESTED_BY_LENGTH = 100;

  /** {@code requestedBy} of a caller that does not name itself. */
  public static final String DEFAULT_REQUESTED_BY = "api-key";

  static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  /** Body {@code type} values and the jobs they create. */
  private static final Map<String, List<JobType>> TYPES =
      Map.of(
          "database", List.of(JobType.BACKUP_DATABASE),
          "source", List.of(JobType.BACKUP_SOURCE),
          // one recovery point: the database and the source tree, recorded together
          "all", List.of(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE));

  /** Known values that are not available yet, with what to do instead. */
  private static final Map<String, String> NOT_YET = Map.of();

  private static final Set<String> FIELDS = Set.of("type", "target");
  private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern NOT_NAME_CHARACTER = Pattern.compile("[^A-Za-z0-9 ._@:+/-]");

  private final Set<String> targetNames;
  private final Duration maxWait;

  /**
   * @param targetNames the targets a caller may name
   * @param maxWait the longest {@code ?wait=} allowed
   */
  public TriggerRequestParser(Set<String> targetNames, Duration maxWait) {
    this.targetNames = new TreeSet<>(targetNames);
    this.maxWait = maxWait;
  }

  /** Reads the body: {@code {"type":"database"}}, optionally with {@code "target"}. */
  public TriggerRequest parseBody(byte @Nullable [] body) {
    JsonNode root = JsonObjectBody.read(body, "{\"type\":\"database\"}");
    List<String> unknown = new ArrayList<>();
    for (String name : root.propertyNames()) {
      if (!FIELDS.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      String name = unknown.getFirst();
      throw ApiProblemException.badRequest(
          name,
          "unknown field '"
              + printable(name)
              + "'; allowed fields: "
              + String.join(", ", new TreeSet<>(FIELDS)));
    }
    return new TriggerRequest(type(root.get("type")), target(root.get("target")));
  }

  private List<JobType> type(@Nullable JsonNode node) {
    String allowed = "allowed values: " + String.join(", ", new TreeSet<>(TYPES.keySet()));
    if (node == null || node.isNull()) {
      throw ApiProblemException.badRequest("type", "field 'type' is required; " + allowed);
    }
    if (!node.isString()) {
      throw ApiProblemException.badRequest(
          "type", "field 'type' must be a string, was " + node.getNodeType() + "; " + allowed);
    }
    String value = node.asString();
    List<JobType> type = TYPES.get(value);
    if (type != null) {
      return type;
    }
    String notYet = NOT_YET.get(value);
    throw ApiProblemException.badRequest(
        "type",
        (notYet != null ? notYet : "type '" + printable(value) + "' is not supported")
            + "; "
            + allowed);
  }

  private String target(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return io.kanbu.backup.gateway.config.GatewayProperties.DEFAULT_TARGET;
    }
    String configured = "configured targets: " + String.join(", ", targetNames);
    if (!node.isString()) {
      throw ApiProblemException.badRequest(
          "target",
          "field 'target' must be a string, was " + node.getNodeType() + "; " + configured);
    }
    String value = node.asString();
    if (!targetNames.contains(value)) {
      throw ApiProblemException.badRequest(
          "target",
          "target '"
              + printable(value)
              + "' is not configured; "
              + configured
              + " (an operator adds targets with kanbu.targets.<name>.database-url)");
    }
    return value;
  }

  /**
   * Reads {@code ?wait=<seconds>}.
   *
   * @return null if the caller does not want to wait, else how long to wait at most
   */
  public @Nullable Duration parseWait(@Nullable String wait) {
    if (wait == null) {
      return null;
    }
    long max = maxWait.toSeconds();
    String rule = "'wait' must be a whole number of seconds from 0 to " + max;
    long seconds;
    try {
      seconds = Long.parseLong(wait.strip());
    } catch (NumberFormatException e) {
      throw ApiProblemException.badRequest("wait", rule + ", was '" + printable(wait) + "'");
    }
    if (seconds < 0 || seconds > max) {
      throw ApiProblemException.badRequest("wait", rule + ", was " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * Reads the {@code Idempotency-Key} header: 1 to 200 printable ASCII characters without spaces.
   *
   * @return null if the caller sent none
   */
  public @Nullable String parseIdempotencyKey(@Nullable String key) {
    if (key == null) {
      return null;
    }
    if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw ApiProblemException.badRequest(
          IDEMPOTENCY_KEY_HEADER,
          "header 'Idempotency-Key' is "
              + key.length()
              + " characters long; use at most "
              + MAX_IDEMPOTENCY_KEY_LENGTH
              + ", for example a UUID");
    }
    if (!PRINTABLE_ASCII.matcher(key).matches()) {
      throw ApiProblemException.badRequest(
          IDEMPOTENCY_KEY_HEADER,
          "header 'Idempotency-Key' must be printable ASCII without spaces, for example a UUID");
    }
    return key;
  }

  /**
   * Who asked, from the optional {@code X-Requested-By} header: letters, digits and {@code ._@:+/-}
   * and spaces kept, anything else replaced by {@code _}, at most 100 characters; when absent or
   * empty, the name of the authenticated caller (a user, a token's owner, {@code api-key} for the
   * service key). Never a secret: only the caller's own label.
   */
  public static String requestedBy(@Nullable String header) {
    String cleaned =
        header == null ? "" : NOT_NAME_CHARACTER.matcher(header.strip()).replaceAll("_").strip();
    if (cleaned.isEmpty()) {
      return authenticatedCaller();
    }
    return cleaned.length() <= MAX_REQUESTED_BY_LENGTH
        ? cleaned
        : cleaned.substring(0, MAX_REQUESTED_BY_LENGTH);
  }

  private static String authenticatedCaller() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || authentication instanceof AnonymousAuthenticationToken
        || !authentication.isAuthenticated()) {
      return DEFAULT_REQUESTED_BY;
    }
    String name = authentication.getName();
    return name.length() <= MAX_REQUESTED_BY_LENGTH
        ? name
        : name.substring(0, MAX_REQUESTED_BY_LENGTH);
  }
}
