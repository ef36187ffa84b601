package io.kanbu.backup.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The probes of a healthy gateway: the catalog, the broker and the storage all answer. */
class ReadinessIT extends GatewayIntegrationTest {

  @Test
  void readiness_isUp_withTheCatalogBrokerAndStorage_andNeedsNoKey() {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response = client.send(client.request("/actuator/health/readiness").GET());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode components = GatewayClient.json(response).get("components");
    assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("rabbit").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("storage").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("readinessState").get("status").asString()).isEqualTo("UP");
  }

  @Test
  void liveness_isUp_andChecksNoDependency() {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response = client.send(client.request("/actuator/health/liveness").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode components = GatewayClient.json(response).get("components");
    assertThat(components.propertyNames()).containsExactly("livenessState");
  }
}
