package io.kanbu.backup.gateway.health;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageProbe;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code storage} health component, part of the readiness group: the storage is reachable and
 * writable ({@link StorageProbe}), probed at most once per {@code
 * KANBU_HEALTH_STORAGE_PROBE_INTERVAL} (30 s).
 */
@Configuration(proxyBeanMethods = false)
public class StorageHealthConfiguration {

  @Bean
  HealthIndicator storageHealthIndicator(
      StorageBackend storage,
      Clock clock,
      @Value("${kanbu.health.storage-probe-interval:30s}") Duration probeInterval) {
    StorageProbe probe = new StorageProbe(storage, clock, probeInterval);
    return () -> {
      StorageProbe.Result result = probe.check();
      return (result.writable() ? Health.up() : Health.down())
          .withDetails(result.details())
          .build();
    };
  }
}
