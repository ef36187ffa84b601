package io.kanbu.backup.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The opt-in compiler directives of the README's performance section: a JVM given a file it cannot
 * parse prints an error and runs on without them, so the file is checked by a real JVM here.
 */
class CompilerDirectivesFileTest {

  private static final Path DIRECTIVES = Path.of("src/main/jvm/compiler-directives.json");

  @Test
  void theJvmAcceptsBothDirectives() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process jvm =
        new ProcessBuilder(
                List.of(
                    java,
                    "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath(),
                    "-version"))
            .redirectErrorStream(true)
            .start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).as(output).isZero();
    assertThat(output).contains("2 compiler directives added").doesNotContain("rror");
  }
}
