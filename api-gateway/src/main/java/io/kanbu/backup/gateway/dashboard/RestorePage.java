package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.backups.BackupController;
import io.kanbu.backup.gateway.backups.BackupView;
import io.kanbu.backup.gateway.jobs.JobController;
import io.kanbu.backup.gateway.restore.RestoreController;
import io.kanbu.backup.gateway.restore.RestoreRequest;
import io.kanbu.backup.gateway.restore.TargetDatabaseNames;
import io.kanbu.backup.gateway.trigger.TriggerAccepted;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupStatus;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Restore: the pre-flight checks of a backup, the database that will be overwritten, which the
 * operator must type, a final warning, then the job's live page. The restore itself is {@link
 * RestoreController}'s, which checks the typed name again.
 */
@Controller
public class RestorePage {

  private final BackupController backupApi;
  private final RestoreController restores;
  private final JobController jobs;
  private final TargetDatabaseNames databaseNames;
  private final Clock clock;

  public RestorePage(
      BackupController backupApi,
      RestoreController restores,
      JobController jobs,
      TargetDatabaseNames databaseNames,
      Clock clock) {
    this.backupApi = backupApi;
    this.restores = restores;
    this.jobs = jobs;
    this.databaseNames = databaseNames;
    this.clock = clock;
  }

  /**
   * One pre-flight check: passed, or what is wrong.
   *
   * @param blocking whether a failed check keeps the restore from starting (others only warn)
   */
  public record Check(String name, boolean passed, boolean blocking, String detail) {}

  @GetMapping("/restore/{id}")
  public String restore(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String database,
      Model model) {
    BackupView backup = backupApi.backup(id);
    String overwritten =
        database != null && !database.isBlank()
            ? database.strip()
            : databaseNames.of(backup.target()).orElse(null);
    model.addAttribute("backup", backup);
    model.addAttribute("database", overwritten);
    model.addAttribute("otherDatabase", database == null ? "" : database.strip());
    List<Check> checks = checks(backup);
    model.addAttribute("checks", checks);
    model.addAttribute("blocked", checks.stream().anyMatch(c -> c.blocking() && !c.passed()));
    model.addAttribute("now", clock.instant());
    return "restore";
  }

  @PostMapping("/restore/{id}")
  public String start(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String database,
      @RequestParam(defaultValue = "") String confirm,
      @RequestParam(defaultValue = "false") boolean terminateConnections,
      Principal caller,
      RedirectAttributes redirect) {
    String other = database == null || database.isBlank() ? null : database.strip();
    AtomicReference<TriggerAccepted> accepted = new AtomicReference<>();
    boolean ok =
        Flash.attempt(
            redirect,
            () ->
                accepted.set(
                    restores
                        .restore(
                            id,
                            new RestoreRequest(null, other, confirm, terminateConnections, null),
                            caller.getName())
                        .getBody()));
    if (!ok) {
      return "redirect:/restore/" + id + (other == null ? "" : "?database=" + other);
    }
    Flash.done(redirect, "Restore queued: a safety backup runs first; follow it here.");
    return "redirect:/jobs/" + accepted.get().jobId();
  }

  private List<Check> checks(BackupView backup) {
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "database backup",
            backup.kind() == BackupKind.DATABASE,
            true,
            backup.kind() == BackupKind.DATABASE
                ? "a pg_dump of target '" + backup.target() + "'"
                : "a source backup: restore it with the API's restore-source"));
    checks.add(
        new Check(
            "available",
            backup.status() == BackupStatus.AVAILABLE,
            true,
            backup.status() == BackupStatus.AVAILABLE
                ? "its object is in storage '" + backup.storage() + "'"
                : "its status is " + backup.status() + "; choose another backup"));
    checks.add(
        new Check(
            "checksums recorded",
            !backup.sha256().isBlank() && !backup.sha256Stored().isBlank(),
            true,
            "both digests are checked before anything touches the database"));
    boolean verifyFailed = backup.verifyError() != null;
    checks.add(
        new Check(
            "last verification",
            !verifyFailed,
            false,
            verifyFailed
                ? "the last verification failed: " + backup.verifyError()
                : backup.verifiedAt() == null
                    ? "not verified yet; the restore verifies the digests first anyway"
                    : "verified " + Formats.INSTANCE.time(backup.verifiedAt())));
    boolean busy = !jobs.jobs("RUNNING", null, backup.target(), 0, 1).items().isEmpty();
    checks.add(
        new Check(
            "target idle",
            !busy,
            false,
            busy
                ? "a job runs on '" + backup.target() + "' now; the restore would wait for it"
                : "no job runs on '" + backup.target() + "'"));
    return checks;
  }
}
