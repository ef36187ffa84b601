package io.kanbu.backup.gateway.schedules;

import static io.kanbu.backup.gateway.api.JsonObjectBody.printable;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.JsonObjectBody;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.InvalidCronExpressionException;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;

/**
 * Reads and checks the JSON body of a schedule's create ({@code POST}) or change ({@code PATCH}).
 * Every refusal is a 400 problem naming the field, saying what was wrong and what is allowed.
 */
public final class ScheduleRequestParser {

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "jobType",
          "target",
          "cron",
          "timeZone",
          "enabled",
          "misfirePolicy",
          "misfireGrace");

  /**
   * The original Kanbu's retention fields and ours: retention is set per target and kind (PUT
   * /api/v1/retention/policies/{target}/{kind}, which accepts the original's fields), not on a
   * schedule.
   */
  private static final Set<String> RETENTION_FIELDS =
      Set.of("retention", "retentionDays", "keepDaily", "keepWeekly", "keepMonthly");

  private static final String JOB_TYPES =
      Arrays.stream(ScheduleJobKind.values())
          .map(ScheduleJobKind::apiName)
          .collect(Collectors.joining(", "));

  private final Set<String> targetNames;

  /**
   * @param targetNames the targets a schedule may name
   */
  public ScheduleRequestParser(Set<String> targetNames) {
    this.targetNames = new TreeSet<>(targetNames);
  }

  /**
   * Reads a body.
   *
   * @param create true for a new schedule: {@code name}, {@code jobType} and {@code cron} are
   *     required
   */
  public ScheduleRequest parse(byte @Nullable [] body, boolean create) {
    JsonNode root =
        JsonObjectBody.read(
            body, "{\"name\":\"nightly\",\"jobType\":\"database\",\"cron\":\"30 2 * * *\"}");
    for (String field : root.propertyNames()) {
      if (RETENTION_FIELDS.contains(field)) {
        throw ApiProblemException.badRequest(
            field,
            "field '"
                + field
                + "' does not belong on a schedule: retention is set per target and kind with PUT"
                + " /api/v1/retention/policies/{target}/{database|source} (which takes the"
                + " original's retentionDays, keepDaily, keepWeekly and keepMonthly too); leave it"
                + " out here");
      }
      if (!FIELDS.contains(field)) {
        throw ApiProblemException.badRequest(
            field,
            "unknown field '"
                + printable(field)
                + "'; allowed fields: "
                + String.join(", ", new TreeSet<>(FIELDS)));
      }
    }
    String name = name(root.get("name"), create);
    ScheduleJobKind jobType = jobType(root.get("jobType"), create);
    String target = target(root.get("target"));
    String cron = string(root.get("cron"), "cron", create, CronSchedule.MAX_LENGTH);
    String zone = string(root.get("timeZone"), "timeZone", false, 64);
    Boolean enabled = bool(root.get("enabled"), "enabled");
    MisfirePolicy policy = misfirePolicy(root.get("misfirePolicy"));
    boolean graceGiven = root.has("misfireGrace");
    Duration grace = grace(root.get("misfireGrace"));
    return new ScheduleRequest(
        name,
        jobType,
        target == null && create ? GatewayProperties.DEFAULT_TARGET : target,
        cron,
        zone == null ? null : timeZone(zone),
        enabled,
        policy,
        graceGiven,
        grace);
  }

  /**
   * Parses a cron expression in a time zone.
   *
   * @throws ApiProblemException 400 naming {@code cron}, with the reason
   */
  public static CronSchedule cron(String expression, ZoneId zone) {
    try {
      return CronSchedule.parse(expression, zone);
    } catch (InvalidCronExpressionException e) {
      throw ApiProblemException.badRequest("cron", e.getMessage());
    }
  }

  /** The API name of a misfire policy: {@code run-once} or {@code skip}. */
  public static String apiName(MisfirePolicy policy) {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static @Nullable String string(
      @Nullable JsonNode node, String field, boolean required, int maxLength) {
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiProblemException.badRequest(field, "field '" + field + "' is required");
      }
      return null;
    }
    if (!node.isString()) {
      throw ApiProblemException.badRequest(
          field, "field '" + field + "' must be a string, was " + node.getNodeType());
    }
    String value = node.asString().strip();
    if (value.isEmpty()) {
      throw ApiProblemException.badRequest(field, "field '" + field + "' must not be empty");
    }
    if (value.length() > maxLength) {
      throw ApiProblemException.badRequest(
          field,
          "field '" + field + "' is " + value.length() + " characters long; at most " + maxLength);
    }
    return value;
  }

  private static @Nullable String name(@Nullable JsonNode node, boolean required) {
    String name = string(node, "name", required, BackupSchedule.MAX_NAME_LENGTH);
    if (name != null && name.chars().anyMatch(Character::isISOControl)) {
      throw ApiProblemException.badRequest(
          "name", "field 'name' must not contain control characters");
    }
    return name;
  }

  private static @Nullable ScheduleJobKind jobType(@Nullable JsonNode node, boolean required) {
    String value = string(node, "jobType", required, 32);
    if (value == null) {
      return null;
    }
    ScheduleJobKind kind =
        ScheduleJobKind.fromApiName(value)
            .orElseThrow(
                () ->
                    ApiProblemException.badRequest(
                        "jobType",
                        "jobType '"
                            + printable(value)
                            + "' is not supported; allowed values: "
                            + JOB_TYPES));
    return kind;
  }

  private @Nullable String target(@Nullable JsonNode node) {
    String value = string(node, "target", false, 63);
    if (value != null && !targetNames.contains(value)) {
      throw ApiProblemException.badRequest(
          "target",
          "target '"
              + printable(value)
              + "' is not configured; configured targets: "
              + String.join(", ", targetNames));
    }
    return value;
  }

  private static ZoneId timeZone(String value) {
    try {
      return CronSchedule.zone(value);
    } catch (InvalidCronExpressionException e) {
      throw ApiProblemException.badRequest("timeZone", e.getMessage());
    }
  }

  private static @Nullable Boolean bool(@Nullable JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw ApiProblemException.badRequest(
          field, "field '" + field + "' must be true or false, was " + node.getNodeType());
    }
    return node.asBoolean();
  }

  private static @Nullable MisfirePolicy misfirePolicy(@Nullable JsonNode node) {
    String value = string(node, "misfirePolicy", false, 32);
    if (value == null) {
      return null;
    }
    for (MisfirePolicy policy : MisfirePolicy.values()) {
      if (apiName(policy).equalsIgnoreCase(value) || policy.name().equalsIgnoreCase(value)) {
        return policy;
      }
    }
    throw ApiProblemException.badRequest(
        "misfirePolicy",
        "misfirePolicy '"
            + printable(value)
            + "' is not supported; allowed values: run-once (coalesce missed firings into one run"
            + " within the grace period), skip (never run missed firings)");
  }

  private static @Nullable Duration grace(@Nullable JsonNode node) {
    String value = string(node, "misfireGrace", false, 32);
    if (value == null) {
      return null;
    }
    String rule =
        "field 'misfireGrace' must be a duration such as '30m', '6h' or 'PT1H', 0 or more";
    Duration grace;
    try {
      grace = DurationStyle.detectAndParse(value);
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest(
          "misfireGrace", rule + ", was '" + printable(value) + "'");
    }
    if (grace.isNegative()) {
      throw ApiProblemException.badRequest("misfireGrace", rule + ", was '" + value + "'");
    }
    return grace;
  }
}
