package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.gateway.audit.AuditFilter;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The feedback line a page shows after an action: what was done, or why it was not. */
final class Flash {

  private Flash() {}

  static void done(RedirectAttributes redirect, String message) {
    redirect.addFlashAttribute("flash", message);
  }

  /** Says what was done, with a link to follow it (e.g. the job an action queued). */
  static void doneWithLink(RedirectAttributes redirect, String message, String link, String label) {
    done(redirect, message);
    redirect.addFlashAttribute("flashLink", link);
    redirect.addFlashAttribute("flashLinkLabel", label);
  }

  /** Shows why an action failed, and has the audit log record it as failed with that reason. */
  static void failed(RedirectAttributes redirect, String message) {
    redirect.addFlashAttribute("flashError", message);
    auditAsFailed(message);
  }

  /**
   * Has the audit log record the action as failed with {@code message}, for a page that shows the
   * reason itself (next to the form that was refused).
   */
  static void auditAsFailed(String message) {
    RequestContextHolder.currentRequestAttributes()
        .setAttribute(AuditFilter.FAILURE_ATTRIBUTE, message, RequestAttributes.SCOPE_REQUEST);
  }

  /** Runs an action; says {@code done} when it worked, its problem when it did not. */
  static void attempt(RedirectAttributes redirect, Runnable action, String done) {
    if (attempt(redirect, action)) {
      done(redirect, done);
    }
  }

  /** Runs an action of the API's services; its problem becomes the page's error line. */
  static boolean attempt(RedirectAttributes redirect, Runnable action) {
    try {
      action.run();
      return true;
    } catch (ApiProblemException e) {
      failed(redirect, e.getMessage());
      return false;
    } catch (IllegalArgumentException e) {
      failed(redirect, e.getMessage());
      return false;
    }
  }
}
