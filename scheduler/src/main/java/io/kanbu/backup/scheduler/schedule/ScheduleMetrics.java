package io.kanbu.backup.scheduler.schedule;

import io.kanbu.backup.model.schedule.FiringOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * This scheduler replica's firings: {@code kanbu_backup_schedule_firings_total{outcome}} for each
 * cron firing it claimed (job created, skipped because the previous job is still active, nothing to
 * do), and {@code kanbu_backup_schedule_missed_total{outcome}} for the fire times that passed while
 * no scheduler ran ({@code missed}: not run; {@code coalesced}: folded into one run). Summed over
 * the replicas, each firing counts once (one replica claims it).
 */
@Component
public class ScheduleMetrics {

  private final MeterRegistry registry;

  public ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A cron firing this replica claimed and ran, with its outcome. */
  public void fired(FiringOutcome outcome) {
    Counter.builder("kanbu.backup.schedule.firings")
        .description("Cron firings this scheduler claimed, by outcome")
        .tag("outcome", name(outcome))
        .register(registry)
        .increment();
  }

  /**
   * Fire times that passed while no scheduler ran.
   *
   * @param coalesced whether they were folded into one run ({@code COALESCED}) or not run
   */
  public void missed(long count, boolean coalesced) {
    if (count <= 0) {
      return;
    }
    Counter.builder("kanbu.backup.schedule.missed")
        .description("Fire times missed while no scheduler ran: not run, or coalesced into one run")
        .tag("outcome", coalesced ? "coalesced" : "missed")
        .register(registry)
        .increment(count);
  }

  private static String name(FiringOutcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
