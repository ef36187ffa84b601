package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.retention.PolicyBody;
import io.kanbu.backup.gateway.retention.RetentionController;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The retention part of the Schedules page: a policy's fields with a preview, while they are typed,
 * of what it would keep and delete now, and saving it (administrators). Planning and validation are
 * {@link RetentionController}'s.
 */
@Controller
public class RetentionPage {

  private final RetentionController retention;

  public RetentionPage(RetentionController retention) {
    this.retention = retention;
  }

  /** The form's fields; empty ones are off. */
  public record PolicyForm(
      String target,
      String kind,
      @Nullable Integer keepLast,
      @Nullable Integer keepHourly,
      @Nullable Integer keepDaily,
      @Nullable Integer keepWeekly,
      @Nullable Integer keepMonthly,
      @Nullable Integer keepYearly,
      @Nullable String keepWithin) {

    PolicyBody body() {
      return new PolicyBody(
          keepLast,
          keepHourly,
          keepDaily,
          keepWeekly,
          keepMonthly,
          keepYearly,
          keepWithin == null || keepWithin.isBlank() ? null : keepWithin.strip(),
          null,
          null);
    }
  }

  @GetMapping("/retention/preview")
  public String preview(PolicyForm form, Model model) {
    try {
      model.addAttribute(
          "preview", retention.previewDraft(form.target(), form.kind(), form.body()));
    } catch (ApiProblemException e) {
      model.addAttribute("previewError", e.getMessage());
    }
    return "schedules :: retention-preview";
  }

  @PostMapping("/retention/policies")
  public String save(PolicyForm form, Principal caller, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> retention.put(form.target(), form.kind(), form.body(), caller.getName()),
        "Retention policy of '"
            + form.target()
            + "' ("
            + form.kind()
            + ") saved. Nothing is deleted until a prune runs.");
    return "redirect:/schedules";
  }

  @PostMapping("/retention/policies/delete")
  public String delete(
      @RequestParam String target, @RequestParam String kind, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> retention.delete(target, kind),
        "Retention policy removed: retention keeps every backup of '" + target + "' again.");
    return "redirect:/schedules";
  }
}
