package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.backups.BackupController;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.jobs.JobView;
import io.kanbu.backup.gateway.retention.PinController;
import io.kanbu.backup.gateway.verification.VerificationController;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import java.security.Principal;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Backups: a paginated, sortable list per target and kind, one backup's page, and its actions
 * (verify, drill, download, pin) through the API's own controllers; deleting one is {@link
 * DeleteBackupPage}'s.
 */
@Controller
public class BackupsPage {

  /** Columns the list may be sorted by, as request value → entity property. */
  private static final Map<String, String> SORTABLE =
      Map.of("created", "createdAt", "size", "storedSize", "target", "target");

  private static final int PAGE_SIZE = 20;

  private final BackupRecordRepository backups;
  private final BackupController backupApi;
  private final VerificationController verification;
  private final PinController pins;
  private final GatewayProperties properties;
  private final Clock clock;

  public BackupsPage(
      BackupRecordRepository backups,
      BackupController backupApi,
      VerificationController verification,
      PinController pins,
      GatewayProperties properties,
      Clock clock) {
    this.backups = backups;
    this.backupApi = backupApi;
    this.verification = verification;
    this.pins = pins;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/backups")
  public String list(
      @RequestParam(required = false) @Nullable String target,
      @RequestParam(required = false) @Nullable String kind,
      @RequestParam(defaultValue = "created") String sort,
      @RequestParam(defaultValue = "desc") String dir,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    Specification<BackupRecord> filter = Specification.unrestricted();
    if (target != null && !target.isBlank()) {
      filter = filter.and((r, q, cb) -> cb.equal(r.get("target"), target));
    }
    BackupKind wantedKind = parseKind(kind);
    if (wantedKind != null) {
      filter = filter.and((r, q, cb) -> cb.equal(r.get("kind"), wantedKind));
    }
    String property = SORTABLE.getOrDefault(sort, "createdAt");
    Sort.Direction direction = "asc".equals(dir) ? Sort.Direction.ASC : Sort.Direction.DESC;
    Page<BackupRecord> found =
        backups.findAll(
            filter,
            PageRequest.of(
                Math.max(page, 0),
                PAGE_SIZE,
                Sort.by(direction, property).and(Sort.by(Sort.Direction.DESC, "id"))));
    model.addAttribute("page", found.map(backupApi.viewer(found.getContent())));
    model.addAttribute("targets", properties.targetNames());
    model.addAttribute("targetFilter", target);
    model.addAttribute("kindFilter", wantedKind == null ? null : wantedKind.name());
    model.addAttribute("sort", SORTABLE.containsKey(sort) ? sort : "created");
    model.addAttribute("dir", direction == Sort.Direction.ASC ? "asc" : "desc");
    model.addAttribute("now", clock.instant());
    return "backups";
  }

  @GetMapping("/backups/{id}")
  public String backup(@PathVariable UUID id, Model model) {
    model.addAttribute("backup", backupApi.backup(id));
    model.addAttribute("now", clock.instant());
    return "backup";
  }

  @GetMapping("/backups/{id}/download")
  public ResponseEntity<Resource> download(@PathVariable UUID id) {
    return backupApi.download(id);
  }

  @PostMapping("/backups/{id}/verify")
  public String verify(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "false") boolean drill,
      Principal caller,
      RedirectAttributes redirect) {
    AtomicReference<JobView> job = new AtomicReference<>();
    if (Flash.attempt(
        redirect, () -> job.set(verification.verify(id, drill, caller.getName()).getBody()))) {
      Flash.done(
          redirect,
          (drill ? "Restore drill" : "Verification") + " queued; this page follows it live.");
      return "redirect:/jobs/" + job.get().id();
    }
    return "redirect:/backups/" + id;
  }

  @PostMapping("/backups/{id}/pin")
  public String pin(@PathVariable UUID id, Principal caller, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> pins.pin(id, caller.getName()),
        "Pinned: retention will never delete this backup.");
    return "redirect:/backups/" + id;
  }

  @PostMapping("/backups/{id}/unpin")
  public String unpin(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(
        redirect, () -> pins.unpin(id), "Unpinned: retention policies apply to this backup again.");
    return "redirect:/backups/" + id;
  }

  private static @Nullable BackupKind parseKind(@Nullable String kind) {
    if (kind == null || kind.isBlank()) {
      return null;
    }
    try {
      return BackupKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblemException.badRequest("kind", "kind must be DATABASE or SOURCE");
    }
  }
}
