package io.kanbu.backup.gateway.support;

import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Wires a gateway under test to the real PostgreSQL (a dedicated catalog database, created once per
 * JVM so that cached Spring contexts keep theirs) and the real RabbitMQ.
 */
public final class GatewayTestEnvironment {

  /** The API key of every gateway under test. */
  public static final String API_KEY = randomHex(32);

  /** The first administrator of every gateway under test. */
  public static final String ADMIN_USERNAME = "admin";

  /** That administrator's password. */
  public static final String ADMIN_PASSWORD = randomHex(16);

  /**
   * Catalog of the main test context; {@code -Dkanbu.it.gateway-database=...} gives a run its own
   * (two people testing on one server at once).
   */
  public static final String MAIN_DATABASE =
      System.getProperty("kanbu.it.gateway-database", "kanbu_it_gateway");

  /** Root of the local storage of every gateway under test. */
  public static final Path STORAGE_ROOT = createStorageRoot();

  private static final Set<String> CREATED = new HashSet<>();

  private GatewayTestEnvironment() {}

  /** Registers the catalog, broker, key, storage and targets of a gateway under test. */
  public static void register(DynamicPropertyRegistry registry, String database) {
    ExternalServices.PostgresEndpoint postgres = ExternalServices.postgres();
    ExternalServices.RabbitEndpoint rabbit = ExternalServices.rabbitmq();
    String url = catalogUrl(database);
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", postgres::user);
    registry.add("spring.datasource.password", postgres::password);
    registry.add("spring.rabbitmq.host", rabbit::host);
    registry.add("spring.rabbitmq.port", rabbit::port);
    registry.add("spring.rabbitmq.username", rabbit::user);
    registry.add("spring.rabbitmq.password", rabbit::password);
    registry.add("spring.rabbitmq.virtual-host", rabbit::vhost);
    registry.add("kanbu.trigger.api-key", () -> API_KEY);
    registry.add("kanbu.access.admin-username", () -> ADMIN_USERNAME);
    registry.add("kanbu.access.admin-password", () -> ADMIN_PASSWORD);
    registry.add("kanbu.access.failure-delay", () -> "50ms");
    registry.add("kanbu.storage.local-path", STORAGE_ROOT::toString);
    registry.add("kanbu.targets.alpha.database-url", () -> "postgresql://nobody@127.0.0.1/alpha");
    registry.add("kanbu.targets.wait-test.database-url", () -> "postgresql://nobody@127.0.0.1/w");
  }

  /** JDBC URL of a catalog database, (re)created empty the first time it is asked for. */
  public static synchronized String catalogUrl(String database) {
    if (CREATED.add(database)) {
      ExternalServices.postgres().recreateDatabase(database);
    }
    return ExternalServices.postgres().jdbcUrl(database);
  }

  /** A local TCP port nothing listens on. */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static Path createStorageRoot() {
    try {
      return Files.createTempDirectory("kanbu-gateway-it-storage");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
