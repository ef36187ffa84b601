package io.kanbu.backup.gateway.access;

import io.kanbu.backup.gateway.api.ApiProblemException;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/** Turns an {@link AccessException} into the API's problem answer. */
final class AccessProblems {

  private AccessProblems() {}

  static <T> T answer(Supplier<T> action) {
    try {
      return action.get();
    } catch (AccessException.Invalid e) {
      throw new ApiProblemException(
          HttpStatus.BAD_REQUEST, "invalid request", e.getMessage(), e.field());
    } catch (AccessException.NotFound e) {
      throw ApiProblemException.notFound("not found", e.getMessage());
    } catch (AccessException.Conflict e) {
      throw new ApiProblemException(HttpStatus.CONFLICT, "conflict", e.getMessage(), null);
    }
  }

  /** A role named in a request, or a 400 naming the valid ones. */
  static Role role(String field, String value) {
    try {
      return Role.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest(field, e.getMessage());
    }
  }
}
