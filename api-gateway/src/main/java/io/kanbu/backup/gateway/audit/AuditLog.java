package io.kanbu.backup.gateway.audit;

import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes and searches the audit log. Each record is written in its own transaction, so an action
 * that fails and rolls back is still recorded.
 */
@Service
public class AuditLog {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final AuditEventRepository events;
  private final Clock clock;

  public AuditLog(AuditEventRepository events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /** Records an action. A failure to write is logged, never thrown at the caller's action. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void record(AuditRecord record) {
    try {
      events.save(new AuditEvent(record, clock.instant()));
    } catch (RuntimeException e) {
      log.error(
          "could not write the audit record of '{}' by '{}': {}",
          record.action(),
          record.actor(),
          e.toString());
    }
  }

  /** What to look for; every criterion is optional. */
  public record Filter(
      @Nullable String actor,
      @Nullable String action,
      @Nullable AuditOutcome outcome,
      @Nullable Instant from,
      @Nullable Instant to) {

    /** No criterion at all. */
    public static Filter none() {
      return new Filter(null, null, null, null, null);
    }
  }

  /** The events matching a filter, newest first. */
  @Transactional(readOnly = true)
  public Page<AuditEvent> search(Filter filter, int page, int size) {
    Specification<AuditEvent> spec = Specification.unrestricted();
    if (filter.actor() != null && !filter.actor().isBlank()) {
      String actor = filter.actor().strip();
      spec = spec.and((root, query, cb) -> cb.equal(root.get("actor"), actor));
    }
    if (filter.action() != null && !filter.action().isBlank()) {
      String pattern = "%" + escapeLike(filter.action().strip().toLowerCase()) + "%";
      spec = spec.and((root, query, cb) -> cb.like(cb.lower(root.get("action")), pattern, '\\'));
    }
    if (filter.outcome() != null) {
      AuditOutcome outcome = filter.outcome();
      spec = spec.and((root, query, cb) -> cb.equal(root.get("outcome"), outcome));
    }
    if (filter.from() != null) {
      Instant from = filter.from();
      spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("occurredAt"), from));
    }
    if (filter.to() != null) {
      Instant to = filter.to();
      spec = spec.and((root, query, cb) -> cb.lessThan(root.get("occurredAt"), to));
    }
    return events.findAll(
        spec,
        PageRequest.of(page, size, Sort.by(Sort.Order.desc("occurredAt"), Sort.Order.desc("id"))));
  }

  private static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
