package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresContainerTest {

  PostgresContainer container(String password) {
    return new PostgresContainer(
        new DockerCli("/usr/bin/docker"),
        "postgres-app-1",
        new DatabaseConnection("unused", 5432, "app", "kanbu", password, Map.of()),
        "POSTGRES_USER");
  }

  @Test
  void nulSeparatedOutput_splitsIntoRows_keepingEmptyFieldsAndLineBreaks() {
    String out = "101\0kanbu\0\0" + "102\0kanbu\0psql\nwith a line break\0";

    assertThat(PostgresContainer.rows(out, 3))
        .containsExactly(
            List.of("101", "kanbu", ""), List.of("102", "kanbu", "psql\nwith a line break"));
    assertThat(PostgresContainer.rows("", 3)).isEmpty();
    assertThatThrownBy(() -> PostgresContainer.rows("1\0" + "2\0", 3))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void command_isExecI_withThePasswordAndApplicationNameOnlyNamed_andTheirValuesInTheEnvironment() {
    ProcessBuilder process = container("pw-Secret").process("psql", List.of("-X"), "scratch");

    assertThat(process.command())
        .containsExactly(
            "/usr/bin/docker",
            "exec",
            "-i",
            "-e",
            "PGPASSWORD",
            "-e",
            "PGAPPNAME",
            "postgres-app-1",
            "psql",
            "-X",
            "-U",
            "kanbu",
            "-d",
            "scratch");
    assertThat(process.environment())
        .containsEntry("PGPASSWORD", "pw-Secret")
        .containsEntry("PGAPPNAME", "kanbu-backup");
  }

  @Test
  void withoutAPassword_nothingIsPassed_andAnInheritedPgpasswordIsDropped() {
    ProcessBuilder process = container(null).process("psql", List.of(), "app");
    process.environment().put("PGPASSWORD", "inherited");
    container(null).prepareEnvironment(process.environment());

    assertThat(process.command()).doesNotContain("PGPASSWORD");
    assertThat(process.environment()).doesNotContainKey("PGPASSWORD");
  }
}
