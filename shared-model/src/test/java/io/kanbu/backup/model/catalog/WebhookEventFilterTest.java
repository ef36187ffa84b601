package io.kanbu.backup.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookEventFilterTest {

  @Test
  void prefixPattern_matchesItsFamilyOnly() {
    WebhookEventFilter filter = WebhookEventFilter.parse("job.*, verify.failed");

    assertThat(filter.matches("job.succeeded")).isTrue();
    assertThat(filter.matches("job.failed")).isTrue();
    assertThat(filter.matches("verify.failed")).isTrue();
    assertThat(filter.matches("verify.succeeded")).isFalse();
    assertThat(filter.matches("jobs.failed")).isFalse();
    assertThat(filter.asStored()).isEqualTo("job.*,verify.failed");
  }

  @Test
  void star_matchesEveryEvent() {
    assertThat(new WebhookEventFilter(List.of("*")).matches("webhook.endpoint_disabled")).isTrue();
  }

  @Test
  void badPattern_isRefused_namingIt() {
    assertThatThrownBy(() -> new WebhookEventFilter(List.of("job.*.x")))
        .hasMessageContaining("'job.*.x'");
    assertThatThrownBy(() -> new WebhookEventFilter(List.of()))
        .hasMessageContaining("event filter is empty");
  }
}
