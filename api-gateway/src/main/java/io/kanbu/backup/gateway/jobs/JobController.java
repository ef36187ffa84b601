package io.kanbu.backup.gateway.jobs;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read API for jobs. */
@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Follow jobs")
public class JobController {

  private final BackupJobRepository jobs;

  public JobController(BackupJobRepository jobs) {
    this.jobs = jobs;
  }

  @GetMapping("/{id}")
  @Operation(summary = "One job")
  @ApiResponse(responseCode = "404", description = "No such job")
  public JobView job(@PathVariable UUID id) {
    return jobs.findById(id)
        .map(JobView::of)
        .orElseThrow(
            () ->
                ApiProblemException.notFound(
                    "job not found",
                    "job '" + id + "' does not exist; list jobs with GET /api/v1/jobs"));
  }

  @GetMapping
  @Operation(summary = "Jobs, newest first, optionally filtered")
  public PageView<JobView> jobs(
      @Parameter(description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED")
          @RequestParam(required = false)
          @Nullable String status,
      @Parameter(description = "A job type, e.g. BACKUP_DATABASE") @RequestParam(required = false)
          @Nullable String type,
      @Parameter(description = "A target name") @RequestParam(required = false)
          @Nullable String target,
      @Parameter(description = "Page number, from 0") @RequestParam(required = false)
          @Nullable Integer page,
      @Parameter(description = "Page size, 1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer size) {
    Specification<BackupJob> filter = Specification.unrestricted();
    JobStatus wantedStatus = parse(JobStatus.class, "status", status);
    if (wantedStatus != null) {
      filter = filter.and((root, query, cb) -> cb.equal(root.get("status"), wantedStatus));
    }
    JobType wantedType = parse(JobType.class, "type", type);
    if (wantedType != null) {
      filter = filter.and((root, query, cb) -> cb.equal(root.get("type"), wantedType));
    }
    if (target != null && !target.isBlank()) {
      filter = filter.and((root, query, cb) -> cb.equal(root.get("target"), target));
    }
    return PageView.of(jobs.findAll(filter, PageParameters.newestFirst(page, size)), JobView::of);
  }

  private static <E extends Enum<E>> @Nullable E parse(
      Class<E> type, String parameter, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String allowed =
          Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
      throw ApiProblemException.badRequest(
          parameter,
          "'"
              + parameter
              + "' must be one of "
              + allowed
              + ", was '"
              + value.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
  }
}
