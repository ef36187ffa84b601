package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.retention.RetentionController;
import io.kanbu.backup.gateway.schedules.ScheduleController;
import io.kanbu.backup.gateway.schedules.ScheduleRequestParser;
import io.kanbu.backup.gateway.schedules.ScheduleView;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.InvalidCronExpressionException;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schedules: list, create, edit, pause, resume, run now and delete through {@link
 * ScheduleController} (the form becomes the API's JSON body, so both validate alike), and a cron
 * preview — the human description and the next fire times — while the operator types.
 */
@Controller
public class SchedulesPage {

  /** The job types a schedule may start, as the API names them. */
  static final List<String> JOB_TYPES =
      Arrays.stream(ScheduleJobKind.values()).map(ScheduleJobKind::apiName).toList();

  /** The flash attribute of a form the API refused. */
  static final String REFUSED = "scheduleRefused";

  private final ScheduleController schedules;
  private final RetentionController retention;
  private final GatewayProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  public SchedulesPage(
      ScheduleController schedules,
      RetentionController retention,
      GatewayProperties properties,
      JsonMapper json,
      Clock clock) {
    this.schedules = schedules;
    this.retention = retention;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/schedules")
  public String list(Model model) {
    List<ScheduleView> all = schedules.list(0, 200).items();
    ScheduleForm.Refused refused =
        model.getAttribute(REFUSED) instanceof ScheduleForm.Refused r ? r : null;
    Map<UUID, ScheduleForm> forms = new HashMap<>();
    for (ScheduleView s : all) {
      forms.put(
          s.id(), refused != null && refused.isFor(s.id()) ? refused.form() : ScheduleForm.of(s));
    }
    model.addAttribute("schedules", all);
    model.addAttribute("forms", forms);
    model.addAttribute("refused", refused);
    model.addAttribute(
        "newForm",
        refused != null && refused.scheduleId() == null
            ? refused.form()
            : new ScheduleForm("", "database", "", "", "", true, "run-once", ""));
    model.addAttribute("misfirePolicies", List.of("run-once", "skip"));
    model.addAttribute("targets", properties.targetNames());
    model.addAttribute("jobTypes", JOB_TYPES);
    model.addAttribute("defaultZone", properties.schedules().defaultTimeZone());
    model.addAttribute("policies", retention.list());
    return "schedules";
  }

  /**
   * The description and next fire times of a cron expression, or why it is not valid, for the form
   * whose element ids start with {@code previewKey}.
   */
  @GetMapping("/schedules/preview")
  public String preview(
      @RequestParam(defaultValue = "") String cron,
      @RequestParam(defaultValue = "") String timeZone,
      @RequestParam(defaultValue = "") String previewKey,
      Model model) {
    // the prefix of the element ids of the form asking (the new-schedule form's is empty)
    model.addAttribute("key", previewKey.replaceAll("[^A-Za-z0-9-]", ""));
    model.addAttribute("cronText", cron);
    if (cron.isBlank()) {
      model.addAttribute("cronError", "Type a cron expression, e.g. '0 3 * * *' for 03:00 daily.");
      return "schedule-form :: cron-preview";
    }
    try {
      ZoneId zone =
          CronSchedule.zone(
              timeZone.isBlank() ? properties.schedules().defaultTimeZone() : timeZone.strip());
      CronSchedule schedule = ScheduleRequestParser.cron(cron.strip(), zone);
      model.addAttribute("cronDescription", schedule.description());
      model.addAttribute("nextFireTimes", schedule.nextFireTimes(clock.instant(), 5));
      model.addAttribute("zone", zone.getId());
    } catch (InvalidCronExpressionException | ApiProblemException e) {
      model.addAttribute("cronError", e.getMessage());
    }
    return "schedule-form :: cron-preview";
  }

  @PostMapping("/schedules")
  public String create(
      @RequestParam String name,
      @RequestParam String jobType,
      @RequestParam String target,
      @RequestParam String cron,
      @RequestParam(defaultValue = "") String timeZone,
      @RequestParam(defaultValue = "true") boolean enabled,
      @RequestParam(defaultValue = "run-once") String misfirePolicy,
      @RequestParam(defaultValue = "") String misfireGrace,
      Principal caller,
      RedirectAttributes redirect) {
    ScheduleForm form =
        new ScheduleForm(
            name, jobType, target, cron, timeZone, enabled, misfirePolicy, misfireGrace);
    submit(
        redirect,
        null,
        form,
        () -> schedules.create(bytes(form.createBody()), caller.getName()),
        "Schedule '" + name + "' created" + (enabled ? "." : ", paused."));
    return "redirect:/schedules";
  }

  /**
   * Saves the edit form of a schedule: the fields that differ from the schedule are sent as a
   * {@code PATCH}; a field the form did not send stays as it is.
   */
  @PostMapping("/schedules/{id}")
  public String change(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String name,
      @RequestParam(required = false) @Nullable String jobType,
      @RequestParam(required = false) @Nullable String target,
      @RequestParam(required = false) @Nullable String cron,
      @RequestParam(required = false) @Nullable String timeZone,
      @RequestParam(required = false) @Nullable Boolean enabled,
      @RequestParam(required = false) @Nullable String misfirePolicy,
      @RequestParam(required = false) @Nullable String misfireGrace,
      RedirectAttributes redirect) {
    ScheduleView current;
    try {
      current = schedules.get(id);
    } catch (ApiProblemException e) {
      Flash.failed(redirect, e.getMessage());
      return "redirect:/schedules";
    }
    ScheduleForm form =
        new ScheduleForm(
            or(name, current.name()),
            or(jobType, current.jobType()),
            or(target, current.target()),
            or(cron, current.cron()),
            or(timeZone, current.timeZone()),
            enabled == null ? current.enabled() : enabled,
            or(misfirePolicy, current.misfirePolicy()),
            misfireGrace == null
                ? Objects.requireNonNullElse(current.misfireGrace(), "")
                : misfireGrace);
    Map<String, @Nullable Object> changes = form.changesFrom(current);
    if (changes.isEmpty()) {
      Flash.done(
          redirect, "Schedule '" + current.name() + "' is unchanged: nothing was different.");
      return "redirect:/schedules";
    }
    submit(
        redirect,
        id,
        form,
        () -> schedules.change(id, bytes(changes)),
        "Schedule '"
            + form.name()
            + "' saved ("
            + String.join(", ", changes.keySet())
            + ")"
            + (changes.containsKey("cron") || changes.containsKey("timeZone")
                ? "; its timing restarts from now."
                : "."));
    return "redirect:/schedules";
  }

  /**
   * Runs a create or change; when the API refuses it, the reason goes next to the form it came
   * from, which shows what was typed again, and the audit log records the refusal.
   */
  private static void submit(
      RedirectAttributes redirect,
      @Nullable UUID scheduleId,
      ScheduleForm form,
      Runnable action,
      String done) {
    try {
      action.run();
      Flash.done(redirect, done);
    } catch (ApiProblemException e) {
      refused(redirect, new ScheduleForm.Refused(scheduleId, e.field(), e.getMessage(), form));
    } catch (IllegalArgumentException e) {
      refused(
          redirect,
          new ScheduleForm.Refused(scheduleId, null, String.valueOf(e.getMessage()), form));
    }
  }

  private static void refused(RedirectAttributes redirect, ScheduleForm.Refused refused) {
    redirect.addFlashAttribute(REFUSED, refused);
    Flash.auditAsFailed(refused.message());
  }

  private static String or(@Nullable String given, String current) {
    return given == null ? current : given;
  }

  @PostMapping("/schedules/{id}/pause")
  public String pause(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(
        redirect, () -> schedules.pause(id), "Schedule paused: it will not fire until resumed.");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}/resume")
  public String resume(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(redirect, () -> schedules.resume(id), "Schedule resumed.");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}/run")
  public String run(@PathVariable UUID id, Principal caller, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> schedules.run(id, caller.getName()),
        "Schedule run now: its jobs are queued (see Jobs).");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}/delete")
  public String delete(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(
        redirect, () -> schedules.delete(id), "Schedule deleted. Backups it made are kept.");
    return "redirect:/schedules";
  }

  private byte[] bytes(Map<String, ? extends @Nullable Object> body) {
    return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
  }
}
