package io.kanbu.backup.gateway.api;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** The {@code page} and {@code size} query parameters of every list. */
public final class PageParameters {

  /** Entries per page when the caller does not say. */
  public static final int DEFAULT_SIZE = 50;

  /** The largest page a caller may ask for. */
  public static final int MAX_SIZE = 200;

  private PageParameters() {}

  /**
   * A page request sorted newest first (ties broken by id, so pages never overlap).
   *
   * @throws ApiProblemException naming {@code page} or {@code size} if out of range
   */
  public static PageRequest newestFirst(@Nullable Integer page, @Nullable Integer size) {
    int number = page == null ? 0 : page;
    int perPage = size == null ? DEFAULT_SIZE : size;
    if (number < 0) {
      throw ApiProblemException.badRequest(
          "page", "'page' must be 0 or more, was " + number + "; pages are numbered from 0");
    }
    if (perPage < 1 || perPage > MAX_SIZE) {
      throw ApiProblemException.badRequest(
          "size", "'size' must be between 1 and " + MAX_SIZE + ", was " + perPage);
    }
    return PageRequest.of(
        number, perPage, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
  }
}
