package io.kanbu.backup.core.source.tar;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Exclusion rules in gitignore syntax: blank lines and {@code #} comments are ignored, {@code !}
 * negates, a trailing {@code /} matches directories only, a leading (or inner) {@code /} anchors
 * the pattern at the tree's root, {@code *} and {@code ?} never match {@code /}, {@code **} matches
 * any number of directories, {@code [a-z]} is a character class and {@code \} escapes. The last
 * matching rule wins. As in git, a file inside an excluded directory cannot be re-included: the
 * archiver never enters excluded directories.
 */
public final class IgnoreRules {

  /**
   * What the original Kanbu excluded, plus {@code .env} and {@code .env.*}: the original packed
   * {@code .env} files, secrets included, into every source backup.
   */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          "node_modules/",
          ".git/",
          ".turbo/",
          "dist/",
          ".next/",
          "*.log",
          ".env.local",
          "coverage/",
          ".env",
          ".env.*");

  /** The file at a tree's root whose rules are appended to the operator's. */
  public static final String BACKUPIGNORE = ".backupignore";

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rule at all: everything is included. */
  public static IgnoreRules none() {
    return new IgnoreRules(List.of());
  }

  /** Rules from gitignore lines, in order; blank lines and comments are skipped. */
  public static IgnoreRules parse(List<String> lines) {
    return none().plus(lines);
  }

  /** These rules followed by {@code lines}, which win over them where both match. */
  public IgnoreRules plus(List<String> lines) {
    List<Rule> all = new ArrayList<>(rules);
    for (String line : lines) {
      Rule rule = Rule.parse(line);
      if (rule != null) {
        all.add(rule);
      }
    }
    return new IgnoreRules(all);
  }

  /** Like {@link #plus} with each pattern negated: {@code include} globs re-include paths. */
  public IgnoreRules plusIncludes(List<String> includes) {
    List<String> negated = new ArrayList<>();
    for (String include : includes) {
      String trimmed = include.strip();
      if (!trimmed.isEmpty()) {
        negated.add(trimmed.startsWith("!") ? trimmed.substring(1) : "!" + trimmed);
      }
    }
    return plus(negated);
  }

  /** Every rule as written (negations with their {@code !}), in order. */
  public List<String> patterns() {
    return rules.stream().map(Rule::text).toList();
  }

  /**
   * Whether {@code relativePath} ({@code /}-separated, relative to the tree's root, no leading or
   * trailing slash) is excluded.
   */
  public boolean excludes(String relativePath, boolean directory) {
    boolean excluded = false;
    for (Rule rule : rules) {
      if (rule.matches(relativePath, directory)) {
        excluded = !rule.negated();
      }
    }
    return excluded;
  }

  private record Rule(String text, boolean negated, boolean directoryOnly, Pattern regex) {

    static @Nullable Rule parse(String line) {
      String text = stripTrailingSpaces(line);
      if (text.isEmpty() || text.startsWith("#")) {
        return null;
      }
      String pattern = text;
      boolean negated = false;
      if (pattern.startsWith("!")) {
        negated = true;
        pattern = pattern.substring(1);
      } else if (pattern.startsWith("\\!") || pattern.startsWith("\\#")) {
        pattern = pattern.substring(1);
      }
      boolean directoryOnly = false;
      while (pattern.endsWith("/") && !pattern.isEmpty()) {
        directoryOnly = true;
        pattern = pattern.substring(0, pattern.length() - 1);
      }
      if (pattern.isEmpty()) {
        return null;
      }
      // a slash at the start or in the middle anchors the pattern at the root
      boolean anchored = pattern.contains("/");
      if (pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      String body = toRegex(pattern);
      String regex = (anchored ? "" : "(?:.*/)?") + body;
      return new Rule(text, negated, directoryOnly, Pattern.compile(regex, Pattern.DOTALL));
    }

    boolean matches(String path, boolean directory) {
      if (directoryOnly && !directory) {
        return false;
      }
      return regex.matcher(path).matches();
    }

    private static String stripTrailingSpaces(String line) {
      int end = line.length();
      while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
        end--;
      }
      String s = line.substring(0, end);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String toRegex(String glob) {
      StringBuilder re = new StringBuilder();
      int i = 0;
      int n = glob.length();
      while (i < n) {
        char c = glob.charAt(i);
        if (c == '*' && i + 1 < n && glob.charAt(i + 1) == '*') {
          boolean atStart = i == 0 || glob.charAt(i - 1) == '/';
          boolean atEnd = i + 2 == n;
          boolean beforeSlash = i + 2 < n && glob.charAt(i + 2) == '/';
          if (atStart && beforeSlash) {
            re.append("(?:.*/)?"); // "**/": zero or more directories
            i += 3;
            continue;
          }
          if (atStart && atEnd) {
            re.append(".*"); // "/**" at the end: everything inside
            i += 2;
            continue;
          }
          re.append("[^/]*"); // "**" elsewhere is an ordinary "*"
          i += 2;
          continue;
        }
        switch (c) {
          case '*' -> re.append("[^/]*");
          case '?' -> re.append("[^/]");
          case '[' -> {
            int close = glob.indexOf(']', i + 2);
            if (close < 0) {
              re.append("\\[");
            } else {
              String cls = glob.substring(i + 1, close);
              if (cls.startsWith("!")) {
                cls = "^" + cls.substring(1);
              }
              re.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
              i = close;
            }
          }
          case '\\' -> {
            if (i + 1 < n) {
              i++;
              re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
            }
          }
          default -> re.append(Pattern.quote(String.valueOf(c)));
        }
        i++;
      }
      return re.toString();
    }
  }
}
