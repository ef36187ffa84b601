package io.kanbu.backup.gateway.audit;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.api.PageParameters;
import io.kanbu.backup.gateway.api.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, filterable (administrators only). */
@RestController
@Tag(name = "audit", description = "Who did what, when, from where (ADMIN)")
public class AuditController {

  private final AuditLog auditLog;

  public AuditController(AuditLog auditLog) {
    this.auditLog = auditLog;
  }

  /** One audit event. */
  public record AuditEventView(
      @Nullable Long id,
      Instant occurredAt,
      String actor,
      String authenticatedBy,
      String action,
      @Nullable String target,
      @Nullable String remoteAddress,
      AuditOutcome outcome,
      @Nullable Integer httpStatus,
      @Nullable String detail) {

    static AuditEventView of(AuditEvent e) {
      return new AuditEventView(
          e.getId(),
          e.getOccurredAt(),
          e.getActor(),
          e.getAuthenticatedBy(),
          e.getAction(),
          e.getTarget(),
          e.getRemoteAddress(),
          e.getOutcome(),
          e.getHttpStatus(),
          e.getDetail());
    }
  }

  @GetMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Audit events, newest first")
  public PageView<AuditEventView> events(
      @Parameter(description = "Exactly this actor (user name, api-key, anonymous)")
          @RequestParam(required = false)
          @Nullable String actor,
      @Parameter(description = "Part of the action, case-insensitive (login, restore, POST)")
          @RequestParam(required = false)
          @Nullable String action,
      @Parameter(description = "SUCCESS, DENIED or FAILED") @RequestParam(required = false)
          @Nullable String outcome,
      @Parameter(description = "From this instant (ISO-8601)") @RequestParam(required = false)
          @Nullable String from,
      @Parameter(description = "Before this instant (ISO-8601)") @RequestParam(required = false)
          @Nullable String to,
      @Parameter(description = "Page number, from 0") @RequestParam(required = false)
          @Nullable Integer page,
      @Parameter(description = "Page size, 1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer size) {
    AuditLog.Filter filter =
        new AuditLog.Filter(
            actor, action, outcome(outcome), instant("from", from), instant("to", to));
    PageRequest request = PageParameters.newestFirst(page, size);
    return PageView.of(
        auditLog.search(filter, request.getPageNumber(), request.getPageSize()),
        AuditEventView::of);
  }

  /** An outcome filter, or a 400 naming the valid ones. */
  public static @Nullable AuditOutcome outcome(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return AuditOutcome.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest(
          "outcome", "outcome '" + value + "' is not known; use SUCCESS, DENIED or FAILED");
    }
  }

  private static @Nullable Instant instant(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiProblemException.badRequest(
          field,
          field + " '" + value + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
