package io.kanbu.backup.gateway.api;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the API into an RFC 7807 problem ({@code application/problem+json}). The
 * framework's own errors (unsupported method, media type, unknown path) keep Spring's problem
 * documents; ours add a {@code field} where one is to blame.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiProblemException.class)
  ResponseEntity<ProblemDetail> handleApiProblem(
      ApiProblemException e, HttpServletRequest request) {
    return respond(e.status(), e.toProblemDetail(URI.create(request.getRequestURI())));
  }

  @ExceptionHandler(ObjectNotFoundException.class)
  ResponseEntity<ProblemDetail> handleMissingObject(
      ObjectNotFoundException e, HttpServletRequest request) {
    // The object vanished between stat and open; the key is relative, never a filesystem path.
    return respond(
        HttpStatus.NOT_FOUND,
        ApiProblemException.problem(
            HttpStatus.NOT_FOUND,
            "backup object missing",
            e.getMessage() + "; restore it from another copy or trigger a new backup",
            null));
  }

  @ExceptionHandler(BackupException.class)
  ResponseEntity<ProblemDetail> handleStorageFailure(BackupException e) {
    // Storage messages may carry absolute paths: log them, never return them.
    log.warn("storage failure while serving a request: {}", e.toString());
    return respond(
        HttpStatus.SERVICE_UNAVAILABLE,
        ApiProblemException.problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "storage unavailable",
            "unable to read from backup storage; see the gateway log, then try again",
            null));
  }

  @ExceptionHandler(DataAccessException.class)
  ResponseEntity<ProblemDetail> handleCatalogFailure(DataAccessException e) {
    log.warn("catalog failure while serving a request: {}", e.toString());
    return respond(
        HttpStatus.SERVICE_UNAVAILABLE,
        ApiProblemException.problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "catalog unavailable",
            "unable to reach the catalog database; try again later",
            null));
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name =
        e instanceof MethodArgumentTypeMismatchException argument
            ? argument.getName()
            : String.valueOf(e.getPropertyName());
    String expected =
        e.getRequiredType() == java.util.UUID.class
            ? "an id (a UUID such as '3f2b8c1e-0d4a-4c7e-9b1a-2e5f6a7b8c9d')"
            : e.getRequiredType() == Integer.class || e.getRequiredType() == int.class
                ? "a whole number"
                : "a valid value";
    ProblemDetail problem =
        ApiProblemException.problem(
            HttpStatus.BAD_REQUEST,
            "invalid request",
            "'" + name + "' must be " + expected + ", was '" + e.getValue() + "'",
            name);
    return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.BAD_REQUEST);
  }

  private static ResponseEntity<ProblemDetail> respond(HttpStatus status, ProblemDetail problem) {
    return ResponseEntity.status(status).headers(problemHeaders()).body(problem);
  }

  private static HttpHeaders problemHeaders() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return headers;
  }
}
