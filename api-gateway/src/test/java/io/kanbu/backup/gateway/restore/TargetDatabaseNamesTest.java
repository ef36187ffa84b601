package io.kanbu.backup.gateway.restore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetDatabaseNamesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "postgresql://kanbu:s3cret@postgres:5432/kanbu | kanbu",
        "postgres://u@h/app?sslmode=require | app",
        "jdbc:postgresql://h:5432/my%2Ddb?user=x&password=y | my-db",
        "postgresql://u:p%2Fw@h:5432/ | -",
        "postgresql://u:pa/ss@h | -",
        "not a url | -",
      })
  void databaseOf_readsOnlyThePath(String url, String expected) {
    assertThat(TargetDatabaseNames.databaseOf(url).orElse(null)).isEqualTo(expected);
  }
}
