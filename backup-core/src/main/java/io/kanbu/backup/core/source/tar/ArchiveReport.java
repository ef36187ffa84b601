package io.kanbu.backup.core.source.tar;

import java.util.List;

/**
 * What a {@link SourceTreeArchiver} wrote and what it could not write.
 *
 * @param fileCount regular files stored
 * @param directoryCount directories stored
 * @param symlinkCount symbolic links stored (as links)
 * @param totalBytes content bytes of the stored files (their sizes when listed)
 * @param excludedCount files and directories left out by a rule (an excluded directory counts once)
 * @param excludedPatterns the rules in force, in order
 * @param skippedSpecialFiles paths of sockets, FIFOs and devices, which a tar of a source tree
 *     leaves out
 * @param warnings one line per path that was not stored as it was when listed: changed, vanished or
 *     unreadable while read; each names the path
 */
public record ArchiveReport(
    long fileCount,
    long directoryCount,
    long symlinkCount,
    long totalBytes,
    long excludedCount,
    List<String> excludedPatterns,
    List<String> skippedSpecialFiles,
    List<String> warnings) {

  public ArchiveReport {
    excludedPatterns = List.copyOf(excludedPatterns);
    skippedSpecialFiles = List.copyOf(skippedSpecialFiles);
    warnings = List.copyOf(warnings);
  }
}
