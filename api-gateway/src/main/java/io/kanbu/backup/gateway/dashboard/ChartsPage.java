package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Charts: per target the size and the duration of its last database backups, and the jobs that
 * ended on each of the last 14 days by outcome. Drawn as inline SVG on the server.
 */
@Controller
public class ChartsPage {

  private static final int LAST_BACKUPS = 30;
  private static final int DAYS = 14;

  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;
  private final GatewayProperties properties;
  private final Clock clock;

  public ChartsPage(
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      GatewayProperties properties,
      Clock clock) {
    this.backups = backups;
    this.jobs = jobs;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/charts")
  public String charts(Model model) {
    List<SvgCharts.Line> sizes = new ArrayList<>();
    List<SvgCharts.Line> durations = new ArrayList<>();
    for (String target : properties.targetNames()) {
      List<SvgCharts.Point> size = sizes(target);
      if (!size.isEmpty()) {
        sizes.add(SvgCharts.line(target, size, max -> Formats.INSTANCE.bytes((long) max)));
      }
      List<SvgCharts.Point> duration = durations(target);
      if (!duration.isEmpty()) {
        durations.add(SvgCharts.line(target, duration, max -> String.format("%.0f s", max)));
      }
    }
    model.addAttribute("sizes", sizes);
    model.addAttribute("durations", durations);
    model.addAttribute("bars", SvgCharts.bars(outcomesPerDay()));
    model.addAttribute("width", SvgCharts.WIDTH);
    model.addAttribute("height", SvgCharts.HEIGHT);
    return "charts";
  }

  private List<SvgCharts.Point> sizes(String target) {
    Specification<BackupRecord> spec =
        Specification.<BackupRecord>where((r, q, cb) -> cb.equal(r.get("target"), target))
            .and((r, q, cb) -> cb.equal(r.get("kind"), BackupKind.DATABASE));
    List<BackupRecord> newest =
        backups
            .findAll(spec, PageRequest.of(0, LAST_BACKUPS, Sort.by(Sort.Order.desc("createdAt"))))
            .getContent();
    return newest.reversed().stream()
        .map(b -> new SvgCharts.Point(b.getCreatedAt(), b.getStoredSize()))
        .toList();
  }

  private List<SvgCharts.Point> durations(String target) {
    Specification<BackupJob> spec =
        Specification.<BackupJob>where((r, q, cb) -> cb.equal(r.get("target"), target))
            .and((r, q, cb) -> cb.equal(r.get("type"), JobType.BACKUP_DATABASE))
            .and((r, q, cb) -> cb.equal(r.get("status"), JobStatus.SUCCEEDED));
    List<BackupJob> newest =
        jobs.findAll(spec, PageRequest.of(0, LAST_BACKUPS, Sort.by(Sort.Order.desc("createdAt"))))
            .getContent();
    return newest.reversed().stream()
        .filter(j -> j.getStartedAt() != null && j.getFinishedAt() != null)
        .map(
            j ->
                new SvgCharts.Point(
                    j.getFinishedAt(),
                    Duration.between(j.getStartedAt(), j.getFinishedAt()).toMillis() / 1000.0))
        .toList();
  }

  private List<SvgCharts.DayOutcomes> outcomesPerDay() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Instant from = today.minusDays(DAYS - 1L).atStartOfDay().toInstant(ZoneOffset.UTC);
    Specification<BackupJob> spec =
        Specification.<BackupJob>where(
            (r, q, cb) -> cb.greaterThanOrEqualTo(r.get("finishedAt"), from));
    Map<LocalDate, long[]> counts = new LinkedHashMap<>();
    for (int i = DAYS - 1; i >= 0; i--) {
      counts.put(today.minusDays(i), new long[2]);
    }
    for (BackupJob job : jobs.findAll(spec)) {
      long[] day = counts.get(LocalDate.ofInstant(job.getFinishedAt(), ZoneOffset.UTC));
      if (day == null) {
        continue;
      }
      if (job.getStatus() == JobStatus.SUCCEEDED) {
        day[0]++;
      } else if (job.getStatus() == JobStatus.FAILED) {
        day[1]++;
      }
    }
    return counts.entrySet().stream()
        .map(e -> new SvgCharts.DayOutcomes(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .toList();
  }
}
