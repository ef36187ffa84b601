package io.kanbu.backup.scheduler;

import io.kanbu.backup.testing.ExternalServices;
import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import io.kanbu.backup.testing.ExternalServices.RabbitEndpoint;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Wires a scheduler under test to a fresh catalog database and the real broker. */
final class SchedulerTestServices {

  private SchedulerTestServices() {}

  /** Recreates {@code catalog} empty and registers it and the broker. */
  static void register(DynamicPropertyRegistry registry, String catalog) {
    PostgresEndpoint postgres = ExternalServices.postgres();
    postgres.recreateDatabase(catalog);
    registry.add("spring.datasource.url", () -> postgres.jdbcUrl(catalog));
    registry.add("spring.datasource.username", postgres::user);
    registry.add("spring.datasource.password", postgres::password);
    RabbitEndpoint rabbit = ExternalServices.rabbitmq();
    registry.add("spring.rabbitmq.host", rabbit::host);
    registry.add("spring.rabbitmq.port", rabbit::port);
    registry.add("spring.rabbitmq.username", rabbit::user);
    registry.add("spring.rabbitmq.password", rabbit::password);
    registry.add("spring.rabbitmq.virtual-host", rabbit::vhost);
  }
}
