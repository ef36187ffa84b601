package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.status.StatusController;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The Overview: storage, PostgreSQL per target, scheduler, encryption and totals from the status
 * report (the same as {@code GET /api/v1/status}), and per target the last backup and the last
 * backup proven restorable, failing targets first.
 */
@Controller
public class OverviewPage {

  private final StatusController status;
  private final GatewayProperties properties;
  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final Clock clock;

  public OverviewPage(
      StatusController status,
      GatewayProperties properties,
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      Clock clock) {
    this.status = status;
    this.properties = properties;
    this.backups = backups;
    this.jobs = jobs;
    this.clock = clock;
  }

  @GetMapping("/")
  public String overview(Model model) {
    Instant now = clock.instant();
    List<TargetHealth> targets =
        properties.targetNames().stream()
            .map(target -> health(target, now))
            .sorted(
                Comparator.comparing((TargetHealth t) -> !t.failing())
                    .thenComparing(TargetHealth::target))
            .toList();
    model.addAttribute("status", status.status());
    model.addAttribute("targets", targets);
    return "overview";
  }

  private TargetHealth health(String target, Instant now) {
    Instant lastBackup =
        backups
            .findFirstByTargetAndKindAndStatusOrderByCreatedAtDesc(
                target, BackupKind.DATABASE, BackupStatus.AVAILABLE)
            .map(BackupRecord::getCreatedAt)
            .orElse(null);
    Specification<BackupRecord> restorable =
        Specification.<BackupRecord>where((r, q, cb) -> cb.equal(r.get("target"), target))
            .and((r, q, cb) -> cb.isTrue(r.get("lastDrillPassed")));
    Instant lastRestorable =
        backups
            .findAll(restorable, PageRequest.of(0, 1, Sort.by(Sort.Order.desc("createdAt"))))
            .stream()
            .findFirst()
            .map(BackupRecord::getCreatedAt)
            .orElse(null);
    Specification<BackupJob> ofTarget = (r, q, cb) -> cb.equal(r.get("target"), target);
    String lastFailure =
        jobs.findAll(ofTarget, PageRequest.of(0, 1, Sort.by(Sort.Order.desc("createdAt")))).stream()
            .findFirst()
            .filter(job -> job.getStatus() == JobStatus.FAILED)
            .map(job -> job.getError() == null ? "the last job failed" : job.getError())
            .orElse(null);
    return new TargetHealth(target, lastBackup, lastRestorable, lastFailure, now);
  }
}
