package io.kanbu.backup.worker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https delivery goes to the address the guard checked while TLS and {@code Host} keep the URL's
 * name: a name that resolves nowhere in DNS ({@code hooks.kanbu.test}) reaches a local receiver
 * whose certificate is for that name, and a certificate for another name is refused.
 */
class WebhookSenderTest {

  @TempDir Path dir;
  HttpsServer server;
  final AtomicReference<String> host = new AtomicReference<>();

  SSLContext context(Path keystore, boolean asServer) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    if (asServer) {
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(store, "changeit".toCharArray());
      context.init(keys.getKeyManagers(), null, null);
    } else {
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(store);
      context.init(null, trust.getTrustManagers(), null);
    }
    return context;
  }

  Path certificateFor(String name) throws Exception {
    Path keystore = dir.resolve(name + ".p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:" + name,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    return keystore;
  }

  void startServer(Path keystore) throws Exception {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.setHttpsConfigurator(new HttpsConfigurator(context(keystore, true)));
    server.createContext(
        "/",
        exchange -> {
          host.set(exchange.getRequestHeaders().getFirst("Host"));
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  @BeforeEach
  void noServerYet() {
    server = null;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  WebhookAddressGuard.CheckedUrl check(String url) {
    WebhookAddressGuard guard =
        new WebhookAddressGuard(
            false, Set.of("hooks.kanbu.test"), name -> List.of(InetAddress.getLoopbackAddress()));
    return guard.check(url);
  }

  /** Serves https with the certificate in {@code keystore} and sends one delivery to it. */
  WebhookSender.Response deliverTo(Path keystore) throws Exception {
    startServer(keystore);
    int port = server.getAddress().getPort();
    try (WebhookSender sender =
        new WebhookSender(Duration.ofSeconds(2), Duration.ofSeconds(5), context(keystore, false))) {
      return sender.post(
          check("https://hooks.kanbu.test:" + port + "/hook"),
          Map.of("webhook-id", "x"),
          "{}".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void https_reachesTheCheckedAddress_withTheUrlsNameForTlsAndHost() throws Exception {
    WebhookSender.Response response = deliverTo(certificateFor("hooks.kanbu.test"));

    assertThat(response.error()).isNull();
    assertThat(response.status()).isEqualTo(204);
    assertThat(host.get()).isEqualTo("hooks.kanbu.test:" + server.getAddress().getPort());
  }

  @Test
  void https_refusesACertificateForAnotherName() throws Exception {
    WebhookSender.Response response = deliverTo(certificateFor("elsewhere.kanbu.test"));

    assertThat(response.status()).isNull();
    assertThat(response.error()).contains("hooks.kanbu.test");
    assertThat(host.get()).isNull();
  }
}
