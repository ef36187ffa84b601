package io.kanbu.backup.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

  // the example of the Standard Webhooks specification
  private static final WebhookSecret SPEC_SECRET =
      WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final Instant SPEC_TIME = Instant.ofEpochSecond(1614265330);
  private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void standardSignature_matchesTheSpecificationsExample() {
    assertThat(WebhookSignatures.standard(SPEC_ID, SPEC_TIME, SPEC_BODY, List.of(SPEC_SECRET)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void duringARotation_bothSecretsSign_andEitherVerifies() {
    WebhookSecret old = WebhookSecret.generate();
    WebhookSecret next = WebhookSecret.generate();

    String header = WebhookSignatures.standard(SPEC_ID, SPEC_TIME, SPEC_BODY, List.of(next, old));

    assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
    for (WebhookSecret secret : List.of(old, next)) {
      assertThat(verify(header, secret, SPEC_BODY, SPEC_TIME)).isTrue();
    }
    assertThat(verify(header, WebhookSecret.generate(), SPEC_BODY, SPEC_TIME)).isFalse();
  }

  @Test
  void verification_refusesAChangedBody_andAnOldTimestamp() {
    String header = WebhookSignatures.standard(SPEC_ID, SPEC_TIME, SPEC_BODY, List.of(SPEC_SECRET));

    assertThat(
            verify(
                header, SPEC_SECRET, "{\"test\": 1}".getBytes(StandardCharsets.UTF_8), SPEC_TIME))
        .isFalse();
    assertThat(verify(header, SPEC_SECRET, SPEC_BODY, SPEC_TIME.plus(Duration.ofMinutes(10))))
        .isFalse();
  }

  @Test
  void legacySignature_isTheOriginalsHexHmacOfTheBody() {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the well-known test value
    assertThat(
            WebhookSignatures.legacy(
                "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8),
                "key"))
        .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  @Test
  void secrets_areGeneratedParsedAndNeverPrinted() {
    WebhookSecret secret = WebhookSecret.generate();

    assertThat(secret.reveal()).startsWith("whsec_").hasSize(6 + 44);
    assertThat(WebhookSecret.parse(secret.reveal())).isEqualTo(secret);
    assertThat(secret.toString()).isEqualTo("whsec_…");
    assertThatThrownBy(() -> WebhookSecret.parse("sekrit")).hasMessageContaining("whsec_");
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_!!!")).hasMessageContaining("base64");
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=")).hasMessageContaining("holds 5");
  }

  private static boolean verify(String header, WebhookSecret secret, byte[] body, Instant now) {
    return WebhookSignatures.verifyStandard(
        SPEC_ID,
        Long.toString(SPEC_TIME.getEpochSecond()),
        body,
        header,
        secret,
        now,
        Duration.ofMinutes(5));
  }
}
