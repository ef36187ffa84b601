package io.kanbu.backup.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyVerifierTest {

  private static final String KEY = "3b1f0c6a9e2d4f5b8a7c6d5e4f3a2b1c";

  private final ApiKeyVerifier verifier = new ApiKeyVerifier(KEY);

  @Test
  void theConfiguredKey_matches() {
    assertThat(verifier.matches(KEY)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "3b1f0c6a9e2d4f5b8a7c6d5e4f3a2b1", // one character short
        "3b1f0c6a9e2d4f5b8a7c6d5e4f3a2b1c0", // one character more
        "3B1F0C6A9E2D4F5B8A7C6D5E4F3A2B1C", // case matters
        "wrong"
      })
  void anyOtherKey_doesNotMatch(String presented) {
    assertThat(verifier.matches(presented)).isFalse();
  }

  @Test
  void bearerHeader_authenticates_withAnyCaseOfTheScheme() {
    assertThat(verifier.authenticates("Bearer " + KEY, null)).isTrue();
    assertThat(verifier.authenticates("bearer " + KEY, null)).isTrue();
    assertThat(verifier.authenticates("  BEARER   " + KEY + "  ", null)).isTrue();
  }

  @Test
  void backupKeyHeader_authenticates() {
    assertThat(verifier.authenticates(null, KEY)).isTrue();
  }

  @Test
  void otherAuthorizationSchemes_andWrongKeys_doNotAuthenticate() {
    assertThat(verifier.authenticates("Basic " + KEY, null)).isFalse();
    assertThat(verifier.authenticates(KEY, null)).as("no scheme").isFalse();
    assertThat(verifier.authenticates("Bearer", null)).isFalse();
    assertThat(verifier.authenticates("Bearer wrong", "wrong")).isFalse();
    assertThat(verifier.authenticates(null, null)).isFalse();
  }

  @Test
  void aRightKeyInEitherHeader_isEnough() {
    assertThat(verifier.authenticates("Basic dXNlcjpwYXNz", KEY)).isTrue();
    assertThat(verifier.authenticates("Bearer " + KEY, "stale")).isTrue();
  }

  @Test
  void aBlankExpectedKey_isRefused() {
    assertThatThrownBy(() -> new ApiKeyVerifier(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
