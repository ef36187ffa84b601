package io.kanbu.backup.gateway.api;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A request the API refuses, rendered as an RFC 7807 problem. {@code detail} is lowercase, names
 * the thing in quotes and says what to do; {@code field} names the offending request field, query
 * parameter or header, if there is one.
 */
public class ApiProblemException extends RuntimeException {

  private final HttpStatus status;
  private final String title;
  private final @Nullable String field;

  public ApiProblemException(
      HttpStatus status, String title, String detail, @Nullable String field) {
    super(detail);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  /** A 400 for one bad field, parameter or header. */
  public static ApiProblemException badRequest(String field, String detail) {
    return new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid request", detail, field);
  }

  /** The 404 for a backup id that is not in the catalog. */
  public static ApiProblemException backupNotFound(java.util.UUID id) {
    return notFound(
        "backup not found",
        "backup '" + id + "' does not exist; list backups with GET /api/v1/backups");
  }

  /** A 404 for something that does not exist. */
  public static ApiProblemException notFound(String title, String detail) {
    return new ApiProblemException(HttpStatus.NOT_FOUND, title, detail, null);
  }

  public HttpStatus status() {
    return status;
  }

  public @Nullable String field() {
    return field;
  }

  /** The problem document. */
  public ProblemDetail toProblemDetail(@Nullable URI instance) {
    ProblemDetail problem = problem(status, title, getMessage(), field);
    if (instance != null) {
      problem.setInstance(instance);
    }
    return problem;
  }

  /** A problem document with the gateway's conventions. */
  public static ProblemDetail problem(
      HttpStatus status, String title, String detail, @Nullable String field) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    if (field != null) {
      problem.setProperty("field", field);
    }
    return problem;
  }
}
