package io.kanbu.backup.gateway.retention;

import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.RetentionPolicyRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A stored retention policy as the API shows it; {@code describe} is the rules in one line. */
public record PolicyView(
    String target,
    BackupKind kind,
    int keepLast,
    int keepHourly,
    int keepDaily,
    int keepWeekly,
    int keepMonthly,
    int keepYearly,
    @Nullable String keepWithin,
    String timeZone,
    String describe,
    Instant updatedAt,
    @Nullable String updatedBy) {

  static PolicyView of(RetentionPolicyRecord record) {
    RetentionPolicyRecord.Rules r = record.rules();
    return new PolicyView(
        record.getKey().target(),
        record.getKey().kind(),
        r.keepLast(),
        r.keepHourly(),
        r.keepDaily(),
        r.keepWeekly(),
        r.keepMonthly(),
        r.keepYearly(),
        r.keepWithin(),
        r.timeZone(),
        RetentionPolicies.toPolicy(r).describe(),
        record.getUpdatedAt(),
        record.getUpdatedBy());
  }
}
