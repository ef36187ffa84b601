package io.kanbu.backup.core.source.tar;

/**
 * Where a git work tree stood when it was backed up.
 *
 * @param commit the full id of {@code HEAD}
 * @param uncommittedChanges whether {@code git status --porcelain} listed anything (modified,
 *     staged or untracked files)
 */
public record GitState(String commit, boolean uncommittedChanges) {}
