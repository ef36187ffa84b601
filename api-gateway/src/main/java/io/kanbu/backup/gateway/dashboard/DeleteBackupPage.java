package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.deletion.BackupDeletions;
import io.kanbu.backup.gateway.deletion.DeletionPreview;
import io.kanbu.backup.model.catalog.BackupJob;
import java.security.Principal;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Deleting a backup (admins only): a confirmation page that says what will be lost (the file, its
 * size and date, every copy, and whether it is the newest verified-restorable or the only backup of
 * its target), where the admin types the file name; then the {@code DELETE_BACKUP} job.
 */
@Controller
public class DeleteBackupPage {

  private final BackupDeletions deletions;

  public DeleteBackupPage(BackupDeletions deletions) {
    this.deletions = deletions;
  }

  @GetMapping("/backups/{id}/delete")
  public String confirm(@PathVariable UUID id, Model model) {
    DeletionPreview preview = deletions.preview(id);
    model.addAttribute("preview", preview);
    model.addAttribute("backup", preview.backup());
    return "delete-backup";
  }

  @PostMapping("/backups/{id}/delete")
  public String delete(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "") String confirm,
      Principal caller,
      RedirectAttributes redirect) {
    String fileName = deletions.preview(id).backup().fileName();
    if (!fileName.equals(confirm.strip())) {
      Flash.failed(
          redirect,
          "the typed name does not match: type the backup's file name '"
              + fileName
              + "' to delete it");
      return "redirect:/backups/" + id + "/delete";
    }
    AtomicReference<BackupJob> job = new AtomicReference<>();
    if (!Flash.attempt(redirect, () -> job.set(deletions.delete(id, caller.getName())))) {
      return "redirect:/backups/" + id + "/delete";
    }
    Flash.doneWithLink(
        redirect,
        "Deletion of " + fileName + " queued; a worker removes every copy.",
        "/jobs/" + job.get().getId(),
        "Follow the job");
    return "redirect:/backups/" + id;
  }
}
