package io.kanbu.backup.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The one place that decides where the tests' PostgreSQL and RabbitMQ come from.
 *
 * <ol>
 *   <li>Explicit environment variables {@code KANBU_TEST_POSTGRES_URL} (for example {@code
 *       postgresql://postgres@127.0.0.1:5432/postgres}) and {@code KANBU_TEST_RABBITMQ_URL} (for
 *       example {@code amqp://guest:guest@127.0.0.1:5672/}) name services that already run.
 *   <li>Otherwise, when a Docker engine answers, Testcontainers starts them once per JVM.
 *   <li>Otherwise the test fails with a message saying what to set. It never skips.
 * </ol>
 *
 * <p>Use it with {@code @ExtendWith(ExternalServices.class)} and read the endpoints through {@link
 * #postgres()} and {@link #rabbitmq()}.
 */
public final class ExternalServices implements BeforeAllCallback {

  public static final String POSTGRES_ENV = "KANBU_TEST_POSTGRES_URL";
  public static final String RABBITMQ_ENV = "KANBU_TEST_RABBITMQ_URL";

  private static PostgresEndpoint postgres;
  private static RabbitEndpoint rabbitmq;

  @Override
  public void beforeAll(ExtensionContext context) {
    postgres();
    rabbitmq();
  }

  /** The PostgreSQL server for tests; starts a container or fails if none is configured. */
  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      String url = System.getenv(POSTGRES_ENV);
      postgres = url != null && !url.isBlank() ? PostgresEndpoint.parse(url) : startPostgres();
    }
    return postgres;
  }

  /** The RabbitMQ broker for tests; starts a container or fails if none is configured. */
  public static synchronized RabbitEndpoint rabbitmq() {
    if (rabbitmq == null) {
      String url = System.getenv(RABBITMQ_ENV);
      rabbitmq = url != null && !url.isBlank() ? RabbitEndpoint.parse(url) : startRabbit();
    }
    return rabbitmq;
  }

  private static PostgresEndpoint startPostgres() {
    requireDocker("PostgreSQL", POSTGRES_ENV, "postgresql://postgres@127.0.0.1:5432/postgres");
    PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
    container.start();
    return new PostgresEndpoint(
        container.getHost(),
        container.getMappedPort(5432),
        container.getUsername(),
        container.getPassword(),
        container.getDatabaseName());
  }

  private static RabbitEndpoint startRabbit() {
    requireDocker("RabbitMQ", RABBITMQ_ENV, "amqp://guest:guest@127.0.0.1:5672/");
    RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-alpine");
    container.start();
    return new RabbitEndpoint(
        container.getHost(),
        container.getAmqpPort(),
        container.getAdminUsername(),
        container.getAdminPassword(),
        "/");
  }

  private static void requireDocker(String service, String env, String example) {
    boolean dockerAnswers;
    try {
      dockerAnswers = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      dockerAnswers = false;
    }
    if (!dockerAnswers) {
      throw new IllegalStateException(
          "no "
              + service
              + " for the tests: set "
              + env
              + " (for example "
              + env
              + "="
              + example
              + ") or start a Docker engine so that Testcontainers can run one");
    }
  }

  /** A PostgreSQL server reachable from the tests and from the processes they start. */
  public record PostgresEndpoint(
      String host, int port, String user, String password, String adminDatabase) {

    static PostgresEndpoint parse(String url) {
      URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
      String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
      String[] parts = userInfo.split(":", 2);
      String db =
          uri.getPath() == null || uri.getPath().length() <= 1
              ? "postgres"
              : uri.getPath().substring(1);
      return new PostgresEndpoint(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          parts[0],
          parts.length > 1 ? parts[1] : "",
          db);
    }

    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A {@code postgresql://} URL as operators write {@code DATABASE_URL}. */
    public String databaseUrl(String database) {
      String auth = password.isEmpty() ? user : user + ":" + password;
      return "postgresql://" + auth + "@" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
      return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /**
     * Every user table's name, row count and an MD5 of its rows in a stable order, one line per
     * table: two databases with the same fingerprint hold the same data.
     */
    public String contentFingerprint(String database) throws SQLException {
      StringBuilder out = new StringBuilder();
      try (Connection c = connect(database);
          Statement s = c.createStatement()) {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
        for (String table : tables) {
          try (java.sql.ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
                      + " FROM "
                      + table
                      + " x")) {
            rs.next();
            out.append(table).append(':').append(rs.getLong(1)).append(':');
            out.append(rs.getString(2)).append('\n');
          }
        }
      }
      return out.toString();
    }

    /** Runs the statements in order on the database, as the admin user. */
    public void execute(String database, String... statements) throws SQLException {
      try (Connection c = connect(database);
          Statement s = c.createStatement()) {
        for (String statement : statements) {
          s.execute(statement);
        }
      }
    }

    /**
     * Creates or updates a login role whose password the server checks: it joins the group {@code
     * kanbu_password_auth}, for which {@code scripts/test.sh} adds a {@code scram-sha-256} rule to
     * a local server's {@code pg_hba.conf} (other rules may trust the test user).
     *
     * @param attributes more role attributes, e.g. {@code SUPERUSER}, or empty
     */
    public void passwordRole(String role, String password, String attributes) throws SQLException {
      execute(
          adminDatabase,
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='kanbu_password_auth')"
              + " THEN CREATE ROLE kanbu_password_auth NOLOGIN; END IF; END$$",
          "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='"
              + role
              + "') THEN CREATE ROLE "
              + role
              + "; END IF; END$$",
          "ALTER ROLE " + role + " LOGIN " + attributes + " PASSWORD '" + password + "'",
          "GRANT kanbu_password_auth TO " + role);
    }

    /** Drops (if present) and creates an empty database with the given name. */
    public void recreateDatabase(String name) {
      if (!name.toLowerCase(Locale.ROOT).matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException(
            "test database name '" + name + "' is not a plain identifier");
      }
      try (Connection c = connect(adminDatabase);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        s.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new IllegalStateException("unable to recreate test database '" + name + "'", e);
      }
    }
  }

  /** A RabbitMQ broker reachable from the tests. */
  public record RabbitEndpoint(String host, int port, String user, String password, String vhost) {

    static RabbitEndpoint parse(String url) {
      URI uri = URI.create(url);
      String userInfo = uri.getUserInfo() == null ? "guest:guest" : uri.getUserInfo();
      String[] parts = userInfo.split(":", 2);
      String vhost =
          uri.getPath() == null || uri.getPath().length() <= 1 ? "/" : uri.getPath().substring(1);
      return new RabbitEndpoint(
          uri.getHost(),
          uri.getPort() < 0 ? 5672 : uri.getPort(),
          parts[0],
          parts.length > 1 ? parts[1] : "",
          vhost);
    }
  }
}
