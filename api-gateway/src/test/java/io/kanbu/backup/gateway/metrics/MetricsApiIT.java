package io.kanbu.backup.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupSchedule;
import io.kanbu.backup.model.catalog.BackupScheduleRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.MisfirePolicy;
import io.kanbu.backup.model.schedule.ScheduleJobKind;
import io.kanbu.backup.testing.ExternalServices;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** {@code /actuator/prometheus} of the gateway: the fleet's metrics from the catalog. */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsApiIT {

  static final String DATABASE =
      "kanbu_it_metrics_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
  }

  @LocalServerPort int port;
  @Autowired BackupJobRepository jobs;
  @Autowired BackupRecordRepository backups;
  @Autowired TransactionTemplate transactions;
  @Autowired CatalogMetrics metrics;
  @Autowired BackupScheduleRepository schedules;
  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  @Test
  void prometheus_showsFreshnessPerTargetAndType_andQueuedJobs_withoutTheKey() {
    Instant made = Instant.parse("2026-11-25T03:00:00Z");
    BackupJob job =
        BackupJob.queued(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.API,
            "metrics-it",
            null,
            3,
            Instant.now());
    transactions.executeWithoutResult(tx -> jobs.saveAndFlush(job));
    String name = "kanbu_backup_m_" + UUID.randomUUID() + ".sql.gz";
    String digest = "e".repeat(64);
    backups.save(
        BackupRecord.available(
            UUID.randomUUID(),
            job.getId(),
            "default",
            BackupKind.DATABASE,
            new BackupRecord.Location("local", "default/database/" + name, name, null),
            new BackupRecord.Content(1, 1, 1, digest, digest, "gzip", false, null, "15", "15"),
            made));
    metrics.refresh();

    HttpResponse<String> response =
        new GatewayClient(port).send(new GatewayClient(port).request("/actuator/prometheus").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "kanbu_backup_last_success_timestamp_seconds{target=\"default\",type=\"database\"} 1.7955756E9")
        .containsPattern("kanbu_backup_jobs_queued [1-9]")
        .contains("kanbu_backup_jobs_running ")
        .contains("kanbu_backup_queue_messages{queue=\"kanbu.backup.jobs.dead\"}");
  }

  @Test
  void expectedInterval_comesFromTheSchedule_orIsTheDefaultWithoutOne() {
    transactions.executeWithoutResult(
        tx ->
            schedules.save(
                new BackupSchedule(
                    UUID.randomUUID(),
                    "metrics-it-" + UUID.randomUUID(),
                    ScheduleJobKind.DATABASE,
                    "alpha",
                    CronSchedule.parse("0 */4 * * *", ZoneId.of("UTC")),
                    true,
                    MisfirePolicy.RUN_ONCE,
                    null,
                    "metrics-it",
                    Instant.now())));
    metrics.refresh();

    String body =
        new GatewayClient(port)
            .send(new GatewayClient(port).request("/actuator/prometheus").GET())
            .body();

    // every 4 hours plus the 2 h slack; the unscheduled default target gets the 26 h default
    assertThat(body)
        .contains(
            "kanbu_backup_expected_interval_seconds{target=\"alpha\",type=\"database\"} 21600.0")
        .contains(
            "kanbu_backup_expected_interval_seconds{target=\"default\",type=\"database\"} 93600.0")
        .contains(
            "kanbu_backup_expected_interval_seconds{target=\"alpha\",type=\"source\"} 93600.0")
        .contains("kanbu_backup_webhook_endpoints{state=\"disabled\"}");
  }

  @Test
  void workers_countsRecentHeartbeats_notOldOnes() {
    jdbc.update("DELETE FROM worker_heartbeat");
    Instant now = Instant.now();
    for (String[] worker : new String[][] {{"alive-1", "5"}, {"alive-2", "30"}, {"gone", "600"}}) {
      jdbc.update(
          "INSERT INTO worker_heartbeat (worker_id, slots, started_at, last_seen_at)"
              + " VALUES (?, 1, ?, ?)",
          worker[0],
          java.sql.Timestamp.from(now.minusSeconds(3600)),
          java.sql.Timestamp.from(now.minusSeconds(Long.parseLong(worker[1]))));
    }
    metrics.refresh();

    String body =
        new GatewayClient(port)
            .send(new GatewayClient(port).request("/actuator/prometheus").GET())
            .body();

    assertThat(body).contains("kanbu_backup_workers 2.0");
  }
}
