package io.kanbu.backup.gateway.deletion;

import io.kanbu.backup.gateway.backups.BackupView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What deleting one backup would lose, for the confirmation an administrator sees first.
 *
 * @param backup the backup (file name, size, created, pinned)
 * @param copies each copy that would be removed, storage and status
 * @param refusal why it cannot be deleted now (pinned, in use, deleted already); null if it can
 * @param warnings what else is lost with it: the newest verified-restorable backup of its target,
 *     the only available backup of its target and kind
 */
public record DeletionPreview(
    BackupView backup,
    List<BackupView.CopyView> copies,
    @Nullable String refusal,
    List<String> warnings) {

  public DeletionPreview {
    copies = List.copyOf(copies);
    warnings = List.copyOf(warnings);
  }

  /** True when the backup may be deleted now. */
  public boolean allowed() {
    return refusal == null;
  }
}
