package io.kanbu.backup.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A gateway whose storage cannot be written (its path lies under a regular file; the tests run as
 * root, so permissions would not stop it): not ready, still live.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoint.health.show-details=always")
class StorageDownReadinessIT {

  static final String DATABASE =
      "kanbu_it_health_gateway" + System.getProperty("kanbu.it.worker-suffix", "");

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, DATABASE);
    registry.add("kanbu.storage.local-path", () -> unwritableStorage().toString());
  }

  @LocalServerPort int port;

  @Test
  void readiness_is503_withStorageDownAndSayingWhy_whileTheCatalogAndBrokerAreUp() {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response = client.send(client.request("/actuator/health/readiness").GET());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    JsonNode components = GatewayClient.json(response).get("components");
    JsonNode storage = components.get("storage");
    assertThat(storage.get("status").asString()).isEqualTo("DOWN");
    assertThat(storage.get("details").get("error").asString())
        .contains("unable to write probe object", "not a directory", "BACKUP_LOCAL_PATH");
    assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("rabbit").get("status").asString()).isEqualTo("UP");
  }

  @Test
  void liveness_staysUp_soTheGatewayIsNotRestartedForItsStorage() {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response = client.send(client.request("/actuator/health/liveness").GET());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static Path unwritableStorage() {
    try {
      Path file = Files.createTempFile("kanbu-health-it", ".file");
      return file.resolve("backups");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
