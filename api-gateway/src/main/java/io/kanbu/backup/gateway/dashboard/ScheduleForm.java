package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.schedules.ScheduleView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as the Schedules page's forms hold it: every field the schedules API lets an operator
 * set, as typed. It becomes the API's JSON body (so the page and the API validate alike), and is
 * shown again with the API's answer when that refused it.
 *
 * @param name the schedule's name
 * @param jobType what it starts, as the API names it ({@code database}, {@code prune}, …)
 * @param target the target it runs on
 * @param cron the cron expression
 * @param timeZone the cron's time zone; blank for the gateway's default (on create)
 * @param enabled false = paused
 * @param misfirePolicy {@code run-once} or {@code skip}
 * @param misfireGrace the schedule's grace period for missed firings (e.g. {@code 30m}); blank for
 *     the scheduler's default
 */
public record ScheduleForm(
    String name,
    String jobType,
    String target,
    String cron,
    String timeZone,
    boolean enabled,
    String misfirePolicy,
    String misfireGrace) {

  /** The form of an existing schedule. */
  public static ScheduleForm of(ScheduleView schedule) {
    return new ScheduleForm(
        schedule.name(),
        schedule.jobType(),
        schedule.target(),
        schedule.cron(),
        schedule.timeZone(),
        schedule.enabled(),
        schedule.misfirePolicy(),
        Objects.requireNonNullElse(schedule.misfireGrace(), ""));
  }

  /** The body of a create: every field, leaving out the blank optional ones (their defaults). */
  Map<String, Object> createBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("jobType", jobType);
    body.put("target", target);
    body.put("cron", cron);
    if (!timeZone.isBlank()) {
      body.put("timeZone", timeZone.strip());
    }
    body.put("enabled", enabled);
    body.put("misfirePolicy", misfirePolicy);
    if (!misfireGrace.isBlank()) {
      body.put("misfireGrace", misfireGrace.strip());
    }
    return body;
  }

  /**
   * The body of a change ({@code PATCH}): only the fields that differ from {@code current}, so an
   * unchanged cron or time zone does not restart the schedule's timing and an unchanged state does
   * not pause or resume it. A blank grace period returns to the scheduler's default.
   */
  Map<String, @Nullable Object> changesFrom(ScheduleView current) {
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    putIfChanged(body, "name", name, current.name());
    putIfChanged(body, "jobType", jobType, current.jobType());
    putIfChanged(body, "target", target, current.target());
    putIfChanged(body, "cron", cron.strip(), current.cron());
    putIfChanged(body, "timeZone", timeZone.strip(), current.timeZone());
    if (enabled != current.enabled()) {
      body.put("enabled", enabled);
    }
    putIfChanged(body, "misfirePolicy", misfirePolicy, current.misfirePolicy());
    String grace = misfireGrace.strip();
    if (grace.isEmpty() && current.misfireGrace() != null) {
      body.put("misfireGrace", null);
    } else if (!grace.isEmpty() && !grace.equals(current.misfireGrace())) {
      body.put("misfireGrace", grace);
    }
    return body;
  }

  private static void putIfChanged(
      Map<String, @Nullable Object> body, String field, String value, String current) {
    if (!value.equals(current)) {
      body.put(field, value);
    }
  }

  /**
   * A form the API refused, shown again next to where it was typed.
   *
   * @param scheduleId the schedule being edited; null for the new-schedule form
   * @param field the field the API named, if it named one
   * @param message why, in words
   * @param form what was typed
   */
  public record Refused(
      @Nullable UUID scheduleId, @Nullable String field, String message, ScheduleForm form) {

    /** Whether this refusal belongs to the edit form of {@code id}. */
    public boolean isFor(UUID id) {
      return id.equals(scheduleId);
    }
  }
}
