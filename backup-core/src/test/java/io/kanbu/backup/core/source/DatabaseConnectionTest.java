package io.kanbu.backup.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.core.PermanentBackupException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseConnectionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "postgresql://kanbu:secret@db.example:6543/kanbu | db.example | 6543 | kanbu | kanbu | secret",
        "postgres://kanbu:secret@db.example/kanbu       | db.example | 5432 | kanbu | kanbu | secret",
        "postgresql://kanbu@db.example/app             | db.example | 5432 | app   | kanbu | NULL",
        "postgresql:///app                              | localhost  | 5432 | app   | postgres | NULL",
        "postgresql://u:p%40ss%3Aw%2Frd%25@h:1/d%20b    | h          | 1    | d b   | u     | p@ss:w/rd%",
        "postgresql://u:a+b@h/db                        | h          | 5432 | db    | u     | a+b",
        "postgresql://us%40er:pw@[::1]:5433/db          | ::1        | 5433 | db    | us@er | pw",
        "postgresql://u@h                               | h          | 5432 | u     | u     | NULL",
        "jdbc:postgresql://h:5434/db?user=u&password=p%26q | h       | 5434 | db    | u     | p&q",
        "jdbc:postgresql://h/db                         | h          | 5432 | db    | postgres | NULL",
        "JDBC:POSTGRESQL://h/db?user=x                  | h          | 5432 | db    | x     | NULL",
        "postgresql://u:p@h/db?sslmode=require&application_name=kanbu | h | 5432 | db | u | p",
      })
  void parse_acceptsTheUrlForms(
      String url, String host, int port, String db, String user, String password) {
    DatabaseConnection c = DatabaseConnection.parse(url);

    assertThat(c.host()).isEqualTo(host);
    assertThat(c.port()).isEqualTo(port);
    assertThat(c.database()).isEqualTo(db);
    assertThat(c.user()).isEqualTo(user);
    assertThat(c.password()).isEqualTo(password);
  }

  @Test
  void parse_keepsOtherParameters_andDropsCredentialsFromThem() {
    DatabaseConnection c =
        DatabaseConnection.parse(
            "jdbc:postgresql://h/db?user=u&password=p&sslmode=verify-full&x=1");

    assertThat(c.params())
        .containsExactly(Map.entry("sslmode", "verify-full"), Map.entry("x", "1"));
  }

  @Test
  void toString_masksThePassword_andPasswordLikeParameters() {
    DatabaseConnection c =
        DatabaseConnection.parse(
            "postgresql://u:Sup3rSecret@h/db?sslpassword=KeyPass&sslmode=require");

    assertThat(c.toString())
        .doesNotContain("Sup3rSecret")
        .doesNotContain("KeyPass")
        .contains("password=***")
        .contains("sslmode=require");
    assertThat(c.redactedUrl()).isEqualTo("postgresql://u@h:5432/db").doesNotContain("Sup3rSecret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://u:Sup3rSecret@h/db",
        "postgresql://u:Sup3rSecret@h:notaport/db",
        "postgresql://u:Sup3rSecret@h:70000/db",
        "postgresql://u:Sup3rSecret@h1,h2/db",
        "postgresql://u:Sup3rSecret%zz@h/db",
        "postgresql://u:Sup3rSecret@[::1/db",
        "",
      })
  void malformedUrl_failsClearly_withoutEchoingThePassword(String url) {
    assertThatThrownBy(() -> DatabaseConnection.parse(url))
        .isInstanceOf(PermanentBackupException.class)
        .hasMessageStartingWith("unable to parse the database url: ")
        .hasMessageContaining("expected postgresql://")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sup3rSecret"));
  }

  @Test
  void jdbcUrl_bracketsIpv6_andCarriesNoCredentials() {
    assertThat(DatabaseConnection.parse("postgresql://u:pw@[::1]:5433/db").jdbcUrl())
        .isEqualTo("jdbc:postgresql://[::1]:5433/db");
  }
}
