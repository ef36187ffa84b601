package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.gateway.backups.BackupController;
import io.kanbu.backup.gateway.backups.BackupView;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobController;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.trigger.JobSubmitter;
import io.kanbu.backup.gateway.trigger.TriggerRequest;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobType;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Jobs: the running ones live, the history with filters, one job's page with its timeline, and
 * starting a backup. Reads through {@link JobController} and starts jobs through {@link
 * JobSubmitter}, exactly as the API does.
 */
@Controller
public class JobsPage {

  private final JobController jobs;
  private final JobSubmitter submitter;
  private final BackupRecordRepository backups;
  private final BackupController backupApi;
  private final GatewayProperties properties;
  private final LiveUpdates live;
  private final FragmentRenderer fragments;
  private final Clock clock;

  public JobsPage(
      JobController jobs,
      JobSubmitter submitter,
      BackupRecordRepository backups,
      BackupController backupApi,
      GatewayProperties properties,
      LiveUpdates live,
      FragmentRenderer fragments,
      Clock clock) {
    this.jobs = jobs;
    this.submitter = submitter;
    this.backups = backups;
    this.backupApi = backupApi;
    this.properties = properties;
    this.live = live;
    this.fragments = fragments;
    this.clock = clock;
  }

  @GetMapping("/jobs")
  public String list(
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable String type,
      @RequestParam(required = false) @Nullable String target,
      @RequestParam(required = false) @Nullable Integer page,
      Model model) {
    model.addAttribute("targets", properties.targetNames());
    model.addAttribute("types", JobType.values());
    model.addAttribute("statusFilter", status);
    model.addAttribute("typeFilter", type);
    model.addAttribute("targetFilter", target);
    model.addAllAttributes(activeVariables());
    try {
      model.addAttribute(
          "history",
          jobs.jobs(blankToNull(status), blankToNull(type), blankToNull(target), page, 25));
    } catch (ApiProblemException e) {
      model.addAttribute("flashError", e.getMessage());
      model.addAttribute("history", jobs.jobs(null, null, null, 0, 25));
    }
    return "jobs";
  }

  @GetMapping(path = "/jobs/live", produces = "text/event-stream")
  @ResponseBody
  public SseEmitter liveJobs() {
    return live.open("jobs", () -> fragments.render("jobs", "active-jobs", activeVariables()));
  }

  @GetMapping("/jobs/{id}")
  public String job(@PathVariable UUID id, Model model) {
    model.addAllAttributes(jobVariables(id));
    return "job";
  }

  @GetMapping(path = "/jobs/{id}/live", produces = "text/event-stream")
  @ResponseBody
  public SseEmitter liveJob(@PathVariable UUID id) {
    jobs.job(id); // 404 for an unknown job before a stream opens
    return live.open("job", () -> fragments.render("job", "job-state", jobVariables(id)));
  }

  @PostMapping("/jobs/trigger")
  public String trigger(
      @RequestParam String target,
      @RequestParam String type,
      Principal caller,
      RedirectAttributes redirect) {
    List<UUID> created = new ArrayList<>();
    boolean ok =
        Flash.attempt(
            redirect,
            () -> {
              if (!properties.targetNames().contains(target)) {
                throw ApiProblemException.badRequest(
                    "target", "target '" + target + "' is not configured");
              }
              JobType jobType = JobType.valueOf(type.toUpperCase(Locale.ROOT));
              submitter
                  .submit(new TriggerRequest(jobType, target), null, caller.getName())
                  .jobs()
                  .forEach(job -> created.add(job.getId()));
            });
    if (!ok || created.isEmpty()) {
      return "redirect:/jobs";
    }
    Flash.done(redirect, "Backup of '" + target + "' queued; this page follows it live.");
    return "redirect:/jobs/" + created.getFirst();
  }

  private Map<String, Object> activeVariables() {
    List<JobView> active = new ArrayList<>();
    active.addAll(jobs.jobs("RUNNING", null, null, 0, 50).items());
    active.addAll(jobs.jobs("QUEUED", null, null, 0, 50).items());
    return Map.of("active", active, "now", clock.instant(), "fmt", Formats.INSTANCE);
  }

  private Map<String, Object> jobVariables(UUID id) {
    JobView job = jobs.job(id);
    List<BackupRecord> made = backups.findByJobId(id);
    List<BackupView> produced = made.stream().map(backupApi.viewer(made)).toList();
    PageView<JobView> all = jobs.jobs(null, null, job.target(), 0, 50);
    List<JobView> children = all.items().stream().filter(j -> id.equals(j.parentJobId())).toList();
    return Map.of(
        "job",
        job,
        "backups",
        produced,
        "children",
        children,
        "now",
        clock.instant(),
        "fmt",
        Formats.INSTANCE);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
