package io.kanbu.backup.core.storage;

import java.util.regex.Pattern;

/**
 * Rules for object keys: relative, {@code /}-separated, each segment non-empty and not {@code .} or
 * {@code ..}, no backslash, no control character, at most 1024 characters. Keys are built from ids
 * by our code, never taken from user input; the check is a second line of defence.
 */
public final class ObjectKeys {

  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private ObjectKeys() {}

  /**
   * Returns {@code key} if valid.
   *
   * @throws IllegalArgumentException naming the rule it breaks
   */
  public static String requireValid(String key) {
    String problem = problem(key, false);
    if (problem != null) {
      throw new IllegalArgumentException("invalid object key '" + printable(key) + "': " + problem);
    }
    return key;
  }

  /** Like {@link #requireValid} but also accepts the empty prefix and a trailing slash. */
  public static String requireValidPrefix(String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    String problem = problem(trimmed, true);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid object key prefix '" + printable(prefix) + "': " + problem);
    }
    return prefix;
  }

  private static String problem(String key, boolean prefix) {
    if (key.isEmpty()) {
      return "it is empty";
    }
    if (key.length() > 1024) {
      return "it is longer than 1024 characters";
    }
    if (key.startsWith("/")) {
      return "it is absolute; keys are relative";
    }
    if (key.contains("\\")) {
      return "it contains a backslash; the separator is '/'";
    }
    if (CONTROL.matcher(key).find()) {
      return "it contains a control character";
    }
    if (!prefix && key.endsWith("/")) {
      return "it ends with '/'";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        return "it contains an empty segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "it contains a '" + segment + "' segment";
      }
    }
    return null;
  }

  private static String printable(String key) {
    return CONTROL.matcher(key).replaceAll("?");
  }
}
