package io.kanbu.backup.core.source.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {

  private final IgnoreRules defaults = IgnoreRules.parse(IgnoreRules.DEFAULT_PATTERNS);

  @Test
  void defaults_excludeTheOriginalsDirectoriesAndEveryEnvFile_atAnyDepth() {
    assertThat(defaults.excludes("node_modules", true)).isTrue();
    assertThat(defaults.excludes("apps/web/node_modules", true)).isTrue();
    assertThat(defaults.excludes(".git", true)).isTrue();
    assertThat(defaults.excludes("apps/api/dist", true)).isTrue();
    assertThat(defaults.excludes("debug.log", false)).isTrue();
    assertThat(defaults.excludes("logs/x/server.log", false)).isTrue();
    assertThat(defaults.excludes(".env", false)).isTrue();
    assertThat(defaults.excludes("apps/api/.env", false)).isTrue();
    assertThat(defaults.excludes(".env.production", false)).isTrue();
    assertThat(defaults.excludes("coverage", true)).isTrue();
  }

  @Test
  void defaults_keepOrdinarySourceFiles_andDirectoryOnlyRulesSkipFilesOfThatName() {
    assertThat(defaults.excludes("src/main.ts", false)).isFalse();
    assertThat(defaults.excludes(".envrc", false)).isFalse();
    assertThat(defaults.excludes("docs/environment.md", false)).isFalse();
    // "dist/" names a directory; a file called dist stays
    assertThat(defaults.excludes("scripts/dist", false)).isFalse();
  }

  @Test
  void commentsAndBlankLines_areIgnored_andTheLastMatchingRuleWins() {
    IgnoreRules rules = IgnoreRules.parse(List.of("# a comment", "", "*.tmp", "!keep.tmp"));
    assertThat(rules.patterns()).containsExactly("*.tmp", "!keep.tmp");
    assertThat(rules.excludes("a/b/c.tmp", false)).isTrue();
    assertThat(rules.excludes("a/keep.tmp", false)).isFalse();
  }

  @Test
  void leadingOrInnerSlash_anchorsAtTheRoot() {
    IgnoreRules rules = IgnoreRules.parse(List.of("/build", "docs/generated"));
    assertThat(rules.excludes("build", true)).isTrue();
    assertThat(rules.excludes("sub/build", true)).isFalse();
    assertThat(rules.excludes("docs/generated", true)).isTrue();
    assertThat(rules.excludes("x/docs/generated", true)).isFalse();
  }

  @Test
  void doubleStar_matchesAnyNumberOfDirectories() {
    IgnoreRules rules = IgnoreRules.parse(List.of("**/tmp/**", "a/**/z.txt"));
    assertThat(rules.excludes("tmp/x", false)).isTrue();
    assertThat(rules.excludes("deep/er/tmp/x/y", false)).isTrue();
    assertThat(rules.excludes("a/z.txt", false)).isTrue();
    assertThat(rules.excludes("a/b/c/z.txt", false)).isTrue();
    assertThat(rules.excludes("b/z.txt", false)).isFalse();
  }

  @Test
  void questionMarkAndClasses_matchOneCharacterButNeverASlash() {
    IgnoreRules rules = IgnoreRules.parse(List.of("file?.[ch]", "x*y"));
    assertThat(rules.excludes("file1.c", false)).isTrue();
    assertThat(rules.excludes("file1.o", false)).isFalse();
    assertThat(rules.excludes("x/y", false)).isFalse();
    assertThat(rules.excludes("xaby", false)).isTrue();
  }

  @Test
  void includes_reIncludeWhatAnEarlierRuleExcluded() {
    IgnoreRules rules =
        defaults.plus(List.of("*.sql")).plusIncludes(List.of("schema.sql", ".env.example"));
    assertThat(rules.excludes("dump.sql", false)).isTrue();
    assertThat(rules.excludes("db/schema.sql", false)).isFalse();
    assertThat(rules.excludes(".env.example", false)).isFalse();
    assertThat(rules.excludes(".env", false)).isTrue();
  }
}
