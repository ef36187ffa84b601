package io.kanbu.backup.gateway.support;

import io.kanbu.backup.gateway.GatewayApplication;
import io.kanbu.backup.testing.ExternalServices;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway on a random port, on the real catalog ({@link GatewayTestEnvironment#MAIN_DATABASE})
 * and broker. Subclasses share one Spring context.
 */
@ExtendWith(ExternalServices.class)
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayIntegrationTest {

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    GatewayTestEnvironment.register(registry, GatewayTestEnvironment.MAIN_DATABASE);
  }

  @LocalServerPort protected int port;
}
