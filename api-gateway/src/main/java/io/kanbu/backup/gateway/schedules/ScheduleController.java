package io.kanbu.backup.gateway.schedules;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.JsonObjectBody;
import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.schedules.ScheduleView.FiringView;
import io.kanbu.backup.gateway.trigger.TriggerAccepted;
import io.kanbu.backup.gateway.trigger.TriggerRequestParser;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.catalog.ScheduleFiring;
import io.kanbu.backup.model.catalog.ScheduleFiringRepository;
import io.kanbu.backup.model.enqueue.ScheduleFirer;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.FiringOutcome;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cron schedules: what the scheduler starts, and when. Every answer shows the schedule with its
 * cron expression in English and its next five fire times. Whether schedules fire depends on {@code
 * BACKUP_SCHEDULER_MODE} ({@code internal} or {@code both}); run-now works in every mode.
 */
@RestController
@RequestMapping(path = "/api/v1/schedules", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "schedules", description = "Cron schedules of backups, verifications and drills")
public class ScheduleController {

  private final BackupScheduleRepository schedules;
  private final ScheduleFiringRepository firings;
  private final BackupJobRepository jobs;
  private final ScheduleFirer firer;
  private final ScheduleRequestParser parser;
  private final ZoneId defaultZone;
  private final Clock clock;

  public ScheduleController(
      BackupScheduleRepository schedules,
      ScheduleFiringRepository firings,
      BackupJobRepository jobs,
      ScheduleFirer firer,
      GatewayProperties properties,
      Clock clock) {
    this.schedules = schedules;
    this.firings = firings;
    this.jobs = jobs;
    this.firer = firer;
    this.parser = new ScheduleRequestParser(properties.targetNames());
    this.defaultZone = properties.schedules().timeZone();
    this.clock = clock;
  }

  @GetMapping
  @Operation(summary = "List schedules, newest first")
  public PageView<ScheduleView> list(
      @RequestParam(required = false) @Nullable Integer page,
      @RequestParam(required = false) @Nullable Integer size) {
    Instant now = clock.instant();
    return PageView.of(
        schedules.findAll(PageParameters.newestFirst(page, size)), s -> view(s, now));
  }

  @GetMapping("/{id}")
  @Operation(summary = "One schedule, with its description and next five fire times")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public ScheduleView get(@PathVariable UUID id) {
    return view(find(id), clock.instant());
  }

  @PostMapping(consumes = MediaType.ALL_VALUE)
  @Operation(
      summary = "Create a schedule",
      description =
          "Body: name (unique), jobType (database, source, all, verify, restore-drill), target"
              + " (default 'default'), cron (5 fields, 6 with seconds first, or @hourly, @daily,"
              + " @weekly, @monthly, @yearly), timeZone (default BACKUP_CRON_TIMEZONE), enabled"
              + " (default true), misfirePolicy (run-once or skip, default run-once), misfireGrace"
              + " (e.g. '30m'; default the scheduler's KANBU_SCHEDULER_MISFIRE_GRACE).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = ScheduleBody.class))))
  @ApiResponse(responseCode = "201", description = "Created")
  @ApiResponse(responseCode = "400", description = "A field is wrong; the problem names it")
  @ApiResponse(responseCode = "409", description = "The name is taken")
  public ResponseEntity<ScheduleView> create(
      @RequestBody(required = false) byte @Nullable [] body,
      @Parameter(description = "Label of the caller, kept with the schedule")
          @RequestHeader(name = "X-Requested-By", required = false)
          @Nullable String requestedBy) {
    ScheduleRequest request = parser.parse(body, true);
    Instant now = clock.instant();
    String name = Objects.requireNonNull(request.name());
    ZoneId zone = request.timeZone() == null ? defaultZone : request.timeZone();
    CronSchedule cron = ScheduleRequestParser.cron(Objects.requireNonNull(request.cron()), zone);
    requireFreeName(name, null);
    BackupSchedule schedule =
        new BackupSchedule(
            UUID.randomUUID(),
            name,
            Objects.requireNonNull(request.jobType()),
            Objects.requireNonNull(request.target()),
            cron,
            request.enabled() == null || request.enabled(),
            request.misfirePolicy() == null ? MisfirePolicy.RUN_ONCE : request.misfirePolicy(),
            request.misfireGrace(),
            TriggerRequestParser.requestedBy(requestedBy),
            now);
    BackupSchedule saved = save(schedule);
    return ResponseEntity.created(URI.create(ScheduleView.selfLink(saved.getId())))
        .body(view(saved, now));
  }

  @PatchMapping(path = "/{id}", consumes = MediaType.ALL_VALUE)
  @Operation(
      summary = "Change a schedule",
      description =
          "The fields of a create, each optional: those given replace the schedule's. A new cron"
              + " or time zone restarts the timing from now; enabled=false pauses,"
              + " enabled=true resumes; misfireGrace null returns to the scheduler's default.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = ScheduleBody.class))))
  @ApiResponse(responseCode = "400", description = "A field is wrong; the problem names it")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  @ApiResponse(responseCode = "409", description = "The new name is taken")
  public ScheduleView change(
      @PathVariable UUID id, @RequestBody(required = false) byte @Nullable [] body) {
    BackupSchedule schedule = find(id);
    ScheduleRequest request = parser.parse(body, false);
    Instant now = clock.instant();
    String name = request.name() == null ? schedule.getName() : request.name();
    if (!name.equals(schedule.getName())) {
      requireFreeName(name, schedule.getId());
    }
    ScheduleJobKind kind = request.jobType() == null ? schedule.getJobKind() : request.jobType();
    schedule.change(
        name,
        kind,
        request.target() == null ? schedule.getTarget() : request.target(),
        request.misfirePolicy() == null ? schedule.getMisfirePolicy() : request.misfirePolicy(),
        request.misfireGraceGiven() ? request.misfireGrace() : schedule.getMisfireGrace(),
        now);
    if (request.cron() != null || request.timeZone() != null) {
      schedule.reschedule(
          ScheduleRequestParser.cron(
              request.cron() == null ? schedule.getCronExpression() : request.cron(),
              request.timeZone() == null ? ZoneId.of(schedule.getTimeZone()) : request.timeZone()),
          now);
    }
    if (request.enabled() != null) {
      if (request.enabled()) {
        schedule.resume(now);
      } else {
        schedule.pause(now);
      }
    }
    return view(save(schedule), now);
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Delete a schedule",
      description = "Its firings go with it; its jobs stay in the job history.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public ResponseEntity<Void> delete(@PathVariable UUID id) {
    schedules.delete(find(id));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{id}/pause")
  @Operation(summary = "Pause a schedule: nothing fires, nothing counts as missed")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public ScheduleView pause(@PathVariable UUID id) {
    return changeAndView(id, BackupSchedule::pause);
  }

  @PostMapping("/{id}/resume")
  @Operation(summary = "Resume a schedule from its next fire time after now")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public ScheduleView resume(@PathVariable UUID id) {
    return changeAndView(id, BackupSchedule::resume);
  }

  private ScheduleView changeAndView(UUID id, BiConsumer<BackupSchedule, Instant> change) {
    BackupSchedule schedule = find(id);
    Instant now = clock.instant();
    change.accept(schedule, now);
    return view(save(schedule), now);
  }

  @PostMapping("/{id}/run")
  @Operation(
      summary = "Run a schedule now",
      description =
          "Creates the schedule's jobs now, through the same firing as its cron (recorded as a"
              + " MANUAL firing), also while paused and in every BACKUP_SCHEDULER_MODE.")
  @ApiResponse(responseCode = "202", description = "Jobs queued")
  @ApiResponse(
      responseCode = "409",
      description =
          "Not run (recorded): a job of the schedule is still queued or running, or there is"
              + " nothing to do (no backup to verify)")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public ResponseEntity<RunAccepted> run(
      @PathVariable UUID id,
      @Parameter(description = "Label of the caller, recorded with the firing")
          @RequestHeader(name = "X-Requested-By", required = false)
          @Nullable String requestedBy) {
    BackupSchedule schedule = find(id);
    ScheduleFirer.Fired fired =
        firer.runNow(schedule, TriggerRequestParser.requestedBy(requestedBy));
    if (fired.outcome() != FiringOutcome.JOB_CREATED) {
      throw new ApiProblemException(
          HttpStatus.CONFLICT,
          fired.outcome() == FiringOutcome.SKIPPED_PREVIOUS_ACTIVE
              ? "schedule busy"
              : "nothing to run",
          "schedule '" + schedule.getName() + "' did not run: " + fired.detail(),
          null);
    }
    List<TriggerAccepted> created =
        fired.jobs().stream()
            .map(j -> new TriggerAccepted(j.getId(), j.getStatus(), JobView.selfLink(j.getId())))
            .toList();
    return ResponseEntity.accepted()
        .location(URI.create(JobView.selfLink(created.getFirst().jobId())))
        .body(new RunAccepted(schedule.getId(), fired.firingId(), created));
  }

  /**
   * The answer to a run-now.
   *
   * @param scheduleId the schedule
   * @param firingId the firing recorded for it
   * @param jobs the jobs created (two for {@code all}: a database and a source backup)
   */
  public record RunAccepted(UUID scheduleId, UUID firingId, List<TriggerAccepted> jobs) {}

  @GetMapping("/{id}/firings")
  @Operation(summary = "The schedule's firings and what became of each, newest first")
  @ApiResponse(responseCode = "404", description = "No such schedule")
  public PageView<FiringView> firings(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable Integer page,
      @RequestParam(required = false) @Nullable Integer size) {
    BackupSchedule schedule = find(id);
    PageRequest request = PageParameters.newestFirst(page, size);
    Page<ScheduleFiring> found =
        firings.findByScheduleIdOrderByFireTimeDesc(
            schedule.getId(), PageRequest.of(request.getPageNumber(), request.getPageSize()));
    return PageView.of(found, this::firingView);
  }

  private ScheduleView view(BackupSchedule schedule, Instant now) {
    FiringView last =
        firings.findByScheduleIdOrderByFireTimeDesc(schedule.getId(), PageRequest.of(0, 1)).stream()
            .findFirst()
            .map(this::firingView)
            .orElse(null);
    return ScheduleView.of(schedule, last, now);
  }

  private FiringView firingView(ScheduleFiring firing) {
    return FiringView.of(
        firing,
        jobs.findByScheduleFiringIdOrderByType(firing.getId()).stream()
            .map(BackupJob::getId)
            .toList());
  }

  private BackupSchedule find(UUID id) {
    return schedules
        .findById(id)
        .orElseThrow(
            () ->
                ApiProblemException.notFound(
                    "schedule not found",
                    "schedule '"
                        + id
                        + "' does not exist; list schedules with GET"
                        + " /api/v1/schedules"));
  }

  private void requireFreeName(String name, @Nullable UUID self) {
    schedules
        .findByName(name)
        .filter(other -> !other.getId().equals(self))
        .ifPresent(
            other -> {
              throw nameTaken(name, other.getId());
            });
  }

  private BackupSchedule save(BackupSchedule schedule) {
    try {
      return schedules.saveAndFlush(schedule);
    } catch (DataIntegrityViolationException e) {
      // a concurrent create or rename took the name between the check and the insert
      throw nameTaken(schedule.getName(), null);
    }
  }

  private static ApiProblemException nameTaken(String name, @Nullable UUID other) {
    return new ApiProblemException(
        HttpStatus.CONFLICT,
        "schedule name taken",
        "a schedule named '"
            + JsonObjectBody.printable(name)
            + "' exists already"
            + (other == null ? "" : " ('" + other + "')")
            + "; choose another name or change that schedule",
        "name");
  }
}
