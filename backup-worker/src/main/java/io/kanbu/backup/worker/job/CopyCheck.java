package io.kanbu.backup.worker.job;

import org.jspecify.annotations.Nullable;

/**
 * What a job that read one copy of a backup found (a verification of every copy, a restore that
 * fell back to another copy).
 *
 * @param storage the copy's storage
 * @param finding what was found
 * @param error the failed check for a corrupt or missing copy, why it could not be read for an
 *     unchecked one; null for an intact copy
 */
public record CopyCheck(String storage, Finding finding, @Nullable String error) {

  /** What a read of a copy found. */
  public enum Finding {
    /** Every check passed. */
    INTACT,
    /** Its bytes differ from the backup's digests (or its manifest is damaged). */
    CORRUPT,
    /** Its storage does not have it. */
    MISSING,
    /** It could not be read this time (the storage failed in a way that may pass). */
    UNCHECKED
  }

  /** The operator's warning for a copy that is not intact; null for an intact one. */
  public @Nullable String warning() {
    return switch (finding) {
      case INTACT -> null;
      case CORRUPT -> "copy on '" + storage + "' is corrupt: " + error;
      case MISSING -> "copy on '" + storage + "' is missing: " + error;
      case UNCHECKED -> "copy on '" + storage + "' could not be checked: " + error;
    };
  }
}
