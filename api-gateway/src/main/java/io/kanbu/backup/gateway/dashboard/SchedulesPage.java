package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.retention.RetentionController;
import io.kanbu.backup.gateway.schedules.ScheduleController;
import io.kanbu.backup.gateway.schedules.ScheduleRequestParser;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.InvalidCronExpressionException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      List.of("database", "source", "all", "verify", "restore-drill");

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
    model.addAttribute("schedules", schedules.list(0, 200).items());
    model.addAttribute("targets", properties.targetNames());
    model.addAttribute("jobTypes", JOB_TYPES);
    model.addAttribute("defaultZone", properties.schedules().defaultTimeZone());
    model.addAttribute("policies", retention.list());
    return "schedules";
  }

  /** The description and next fire times of a cron expression, or why it is not valid. */
  @GetMapping("/schedules/preview")
  public String preview(
      @RequestParam(defaultValue = "") String cron,
      @RequestParam(defaultValue = "") String timeZone,
      Model model) {
    model.addAttribute("cronText", cron);
    if (cron.isBlank()) {
      model.addAttribute("cronError", "Type a cron expression, e.g. '0 3 * * *' for 03:00 daily.");
      return "schedules :: cron-preview";
    }
    try {
      ZoneId zone =
          CronSchedule.zone(
              timeZone.isBlank() ? properties.schedules().defaultTimeZone() : timeZone.strip());
      CronSchedule schedule = ScheduleRequestParser.cron(cron.strip(), zone);
      model.addAttribute("cronDescription", schedule.description());
      model.addAttribute("nextFireTimes", schedule.nextFireTimes(clock.instant(), 5));
      model.addAttribute("zone", zone.getId());
    } catch (InvalidCronExpressionException | io.kanbu.backup.gateway.api.ApiProblemException e) {
      model.addAttribute("cronError", e.getMessage());
    }
    return "schedules :: cron-preview";
  }

  @PostMapping("/schedules")
  public String create(
      @RequestParam String name,
      @RequestParam String jobType,
      @RequestParam String target,
      @RequestParam String cron,
      @RequestParam(defaultValue = "") String timeZone,
      Principal caller,
      RedirectAttributes redirect) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("jobType", jobType);
    body.put("target", target);
    body.put("cron", cron);
    if (!timeZone.isBlank()) {
      body.put("timeZone", timeZone);
    }
    Flash.attempt(
        redirect,
        () -> schedules.create(bytes(body), caller.getName()),
        "Schedule '" + name + "' created.");
    return "redirect:/schedules";
  }

  @PostMapping("/schedules/{id}")
  public String change(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String cron,
      @RequestParam(required = false) @Nullable String timeZone,
      RedirectAttributes redirect) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (cron != null && !cron.isBlank()) {
      body.put("cron", cron);
    }
    if (timeZone != null && !timeZone.isBlank()) {
      body.put("timeZone", timeZone);
    }
    Flash.attempt(
        redirect,
        () -> schedules.change(id, bytes(body)),
        "Schedule changed; its timing restarts from now.");
    return "redirect:/schedules";
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

  private byte[] bytes(Map<String, Object> body) {
    return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
  }
}
