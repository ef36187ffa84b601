package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.audit.AuditController;
import io.kanbu.backup.gateway.audit.AuditLog;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log, filterable by actor, action and outcome (administrators only). */
@Controller
public class AuditPage {

  private static final int PAGE_SIZE = 50;

  private final AuditLog auditLog;

  public AuditPage(AuditLog auditLog) {
    this.auditLog = auditLog;
  }

  @GetMapping("/audit")
  public String audit(
      @RequestParam(required = false) @Nullable String actor,
      @RequestParam(required = false) @Nullable String action,
      @RequestParam(required = false) @Nullable String outcome,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    AuditLog.Filter filter;
    try {
      filter = new AuditLog.Filter(actor, action, AuditController.outcome(outcome), null, null);
    } catch (ApiProblemException e) {
      model.addAttribute("flashError", e.getMessage());
      filter = AuditLog.Filter.none();
    }
    model.addAttribute("events", auditLog.search(filter, Math.max(page, 0), PAGE_SIZE));
    model.addAttribute("actor", actor);
    model.addAttribute("action", action);
    model.addAttribute("outcome", outcome);
    return "audit";
  }
}
