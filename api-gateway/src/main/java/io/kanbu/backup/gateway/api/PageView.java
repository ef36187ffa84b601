package io.kanbu.backup.gateway.api;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/**
 * One page of a list, newest first.
 *
 * @param items the entries of this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param totalItems how many entries match across all pages
 * @param totalPages how many pages there are at this size
 */
public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

  public static <E, T> PageView<T> of(Page<E> page, Function<E, T> view) {
    return new PageView<>(
        page.getContent().stream().map(view).toList(),
        page.getNumber(),
        page.getSize(),
        page.getTotalElements(),
        page.getTotalPages());
  }
}
