package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentWebhookEndpointTest {

  @Test
  void environmentSettings_chooseTheOriginalsEvents() {
    assertThat(EnvironmentWebhookEndpoint.eventTypes(false, true))
        .containsExactly("job.failed", "restore.failed", "verify.failed");
    assertThat(EnvironmentWebhookEndpoint.eventTypes(true, false))
        .containsExactly("job.succeeded", "restore.succeeded");
    assertThat(EnvironmentWebhookEndpoint.eventTypes(false, false)).isEmpty();
  }
}
