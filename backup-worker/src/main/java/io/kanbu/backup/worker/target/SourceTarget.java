package io.kanbu.backup.worker.target;

import java.nio.file.Path;
import java.util.List;

/**
 * A target's source tree.
 *
 * @param name the target's name
 * @param root the tree's absolute root directory
 * @param exclude the target's extra exclusion globs
 * @param include the target's re-inclusion globs
 * @param pathSetting the environment variable that configures it, for messages
 */
public record SourceTarget(
    String name, Path root, List<String> exclude, List<String> include, String pathSetting) {

  public SourceTarget {
    exclude = List.copyOf(exclude);
    include = List.copyOf(include);
  }
}
