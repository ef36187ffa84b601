package io.kanbu.backup.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookAddressGuardTest {

  /** A resolver with a fixed table: names never reach a real DNS server. */
  private static final Map<String, String> DNS =
      Map.of(
          "hooks.example.com", "93.184.215.14",
          "internal.example.com", "10.1.2.3",
          "metadata.example.com", "169.254.169.254",
          "sneaky.example.com", "::ffff:127.0.0.1");

  private static final WebhookAddressGuard.Resolver RESOLVER =
      host -> {
        String address = DNS.getOrDefault(host, host);
        if (!Character.isDigit(address.charAt(0)) && !address.contains(":")) {
          throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(address));
      };

  private final WebhookAddressGuard guard = new WebhookAddressGuard(false, Set.of(), RESOLVER);

  @Test
  void aPublicHttpsUrl_passes_withTheAddressToConnectTo() {
    WebhookAddressGuard.CheckedUrl checked = guard.check("https://hooks.example.com/kanbu");

    assertThat(checked.address().getHostAddress()).isEqualTo("93.184.215.14");
    assertThat(checked.port()).isEqualTo(443);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://127.0.0.1/x | a loopback address",
        "https://[::1]/x | 0.0.0.0/8",
        "https://0.0.0.0/x | an unspecified address",
        "https://10.0.0.8/x | a private address",
        "https://172.16.5.4/x | a private address",
        "https://192.168.1.1/x | a private address",
        "https://169.254.169.254/latest/meta-data | a link-local address",
        "https://100.64.0.1/x | carrier-grade NAT",
        "https://[fd00::1]/x | unique-local",
        "https://[fe80::1]/x | link-local",
        "https://[::ffff:10.0.0.1]/x | a private address",
        "https://[64:ff9b::7f00:1]/x | a loopback address (in IPv6 form)",
        "https://[2002:c0a8:0101::1]/x | a private address (in IPv6 form)",
        "https://224.0.0.1/x | a multicast address",
        "https://internal.example.com/x | resolves to 10.1.2.3",
        "https://metadata.example.com/x | resolves to 169.254.169.254",
        "https://sneaky.example.com/x | resolves to 127.0.0.1, a loopback address",
      })
  void nonPublicAddresses_areRefused_sayingWhy(String url, String reason) {
    assertThatThrownBy(() -> guard.check(url))
        .isInstanceOf(WebhookAddressRefusedException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("BACKUP_WEBHOOK_ALLOWED_HOSTS");
  }

  @Test
  void plainHttp_isRefusedUnlessAllowed() {
    assertThatThrownBy(() -> guard.check("http://hooks.example.com/x"))
        .hasMessageContaining("must use https")
        .hasMessageContaining("BACKUP_WEBHOOK_ALLOW_HTTP");

    WebhookAddressGuard.CheckedUrl checked =
        new WebhookAddressGuard(true, Set.of(), RESOLVER).check("http://hooks.example.com/x");
    assertThat(checked.port()).isEqualTo(80);
  }

  @Test
  void anAllowedHost_mayBePrivate() {
    WebhookAddressGuard allowing =
        new WebhookAddressGuard(true, Set.of("internal.example.com", "127.0.0.1"), RESOLVER);

    assertThat(allowing.check("https://internal.example.com/x").address().getHostAddress())
        .isEqualTo("10.1.2.3");
    assertThat(allowing.check("http://127.0.0.1:8099/x").port()).isEqualTo(8099);
  }

  @Test
  void otherBadUrls_areRefused() {
    assertThatThrownBy(() -> guard.check("ftp://hooks.example.com/x"))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> guard.check("https://nowhere.invalid/x"))
        .hasMessageContaining("does not resolve");
    assertThatThrownBy(() -> guard.check("https://user:pw@hooks.example.com/x"))
        .hasMessageContaining("user name or password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw"));
    assertThatThrownBy(() -> guard.check("not a url")).hasMessageContaining("not a valid URL");
  }
}
