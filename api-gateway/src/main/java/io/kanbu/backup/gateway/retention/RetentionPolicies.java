package io.kanbu.backup.gateway.retention;

import io.kanbu.backup.core.retention.RetentionPlanner;
import io.kanbu.backup.core.retention.RetentionPolicy;
import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Turns requests and stored rows into the core's retention policy, with the API's errors. */
final class RetentionPolicies {

  private RetentionPolicies() {}

  /** The core policy of stored rules (validated when they were stored). */
  static RetentionPolicy toPolicy(RetentionPolicyRecord.Rules r) {
    return RetentionPolicy.of(
        r.keepLast(),
        r.keepHourly(),
        r.keepDaily(),
        r.keepWeekly(),
        r.keepMonthly(),
        r.keepYearly(),
        r.keepWithin());
  }

  /**
   * The rules a request sets, validated.
   *
   * @throws ApiProblemException 400 naming the field that is wrong
   */
  static RetentionPolicyRecord.Rules rulesOf(PolicyBody body, String defaultZone) {
    String within = body.keepWithin();
    if (body.retentionDays() != null) {
      if (within != null) {
        throw ApiProblemException.badRequest(
            "retentionDays", "give keepWithin or the original's retentionDays, not both");
      }
      if (body.retentionDays() < 1) {
        throw ApiProblemException.badRequest(
            "retentionDays", "retentionDays is " + body.retentionDays() + "; give 1 or more days");
      }
      within = "P" + body.retentionDays() + "D";
    }
    String zone = body.timeZone() == null ? defaultZone : body.timeZone().strip();
    RetentionPolicyRecord.Rules rules =
        new RetentionPolicyRecord.Rules(
            orZero(body.keepLast()),
            orZero(body.keepHourly()),
            orZero(body.keepDaily()),
            orZero(body.keepWeekly()),
            orZero(body.keepMonthly()),
            orZero(body.keepYearly()),
            within == null ? null : within.strip(),
            zone);
    try {
      RetentionPolicy policy = toPolicy(rules);
      RetentionPolicy.zone(zone);
      if (policy.isEmpty()) {
        throw ApiProblemException.badRequest(
            "keepLast",
            "the policy has no rule: it would keep everything; set at least one of keepLast,"
                + " keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, or"
                + " DELETE the policy");
      }
    } catch (IllegalArgumentException e) {
      // the core's messages start with the name of the value that is wrong
      String message = e.getMessage() == null ? "invalid policy" : e.getMessage();
      throw ApiProblemException.badRequest(message.split(" ", 2)[0], message);
    }
    return rules;
  }

  /**
   * @throws ApiProblemException 400 unless {@code database} or {@code source}
   */
  static BackupKind kindOf(String kind) {
    try {
      return BackupKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest(
          "kind", "kind is '" + kind + "'; give database or source");
    }
  }

  /** What the rules do to {@code backups} (one target and kind). */
  static List<RetentionPlanner.Decision> plan(
      List<BackupRecord> backups, RetentionPolicyRecord.Rules rules, Map<UUID, UUID> inUse) {
    return new RetentionPlanner(RetentionPolicy.zone(rules.timeZone()))
        .plan(
            backups.stream()
                .map(
                    b ->
                        new RetentionPlanner.Candidate(
                            b.getId(),
                            b.getCreatedAt(),
                            b.isPinned(),
                            b.isVerifiedRestorable(),
                            inUse.get(b.getId())))
                .toList(),
            toPolicy(rules));
  }

  private static int orZero(@Nullable Integer count) {
    return count == null ? 0 : count;
  }
}
