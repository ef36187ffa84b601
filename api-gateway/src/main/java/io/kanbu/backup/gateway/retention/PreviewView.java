package io.kanbu.backup.gateway.retention;

import io.kanbu.backup.model.catalog.BackupKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a policy would do to the available backups of one target and kind, newest first.
 *
 * @param policy the rules in one line
 * @param keep how many it keeps
 * @param delete how many it deletes
 */
public record PreviewView(
    String target,
    BackupKind kind,
    String policy,
    String timeZone,
    int keep,
    int delete,
    List<Entry> backups) {

  public PreviewView {
    backups = List.copyOf(backups);
  }

  /**
   * One backup's fate.
   *
   * @param decision {@code keep} or {@code delete}
   * @param reason e.g. {@code kept: daily 2026-11-25, pinned} or {@code delete: beyond keepDaily=7}
   */
  public record Entry(
      UUID id,
      String fileName,
      Instant createdAt,
      long storedSize,
      String decision,
      String reason) {}
}
