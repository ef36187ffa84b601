package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Makes one HTTP attempt: a POST to the address the SSRF guard checked (never a new resolution of
 * the name; TLS and {@code Host} keep the URL's name), within the connect and total timeouts, no
 * redirects followed, no retries of its own. Keeps the first 1 KB of the response.
 */
public final class WebhookSender implements AutoCloseable {

  /** What came of an attempt. */
  public record Response(
      @Nullable Integer status,
      long latencyMs,
      @Nullable String excerpt,
      @Nullable String retryAfter,
      @Nullable String error) {

    public boolean succeeded() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private static final int EXCERPT_BYTES = 1024;

  private final Duration connectTimeout;
  private final Duration totalTimeout;
  private final SSLContext tls;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("webhook-deadline").daemon(true).factory());

  /** A sender that trusts the JVM's certificate authorities. */
  public WebhookSender(Duration connectTimeout, Duration totalTimeout) {
    this(connectTimeout, totalTimeout, defaultTls());
  }

  /**
   * @param tls whom to trust (tests: a receiver's own certificate); host names are verified
   */
  WebhookSender(Duration connectTimeout, Duration totalTimeout, SSLContext tls) {
    this.connectTimeout = connectTimeout;
    this.totalTimeout = totalTimeout;
    this.tls = tls;
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no default TLS context", e);
    }
  }

  /** POSTs {@code body} with {@code headers} to the checked URL. Never throws for the network. */
  public Response post(
      WebhookAddressGuard.CheckedUrl target, Map<String, String> headers, byte[] body) {
    long start = System.nanoTime();
    HttpPost post = new HttpPost(target.uri());
    headers.forEach(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              timedOut.set(true);
              post.cancel();
            },
            totalTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try (CloseableHttpClient client = clientFor(target);
        ClassicHttpResponse response = client.executeOpen(null, post, null)) {
      String excerpt = excerpt(response.getEntity());
      Header retryAfter = response.getFirstHeader("Retry-After");
      return new Response(
          response.getCode(),
          millisSince(start),
          excerpt,
          retryAfter == null ? null : retryAfter.getValue(),
          null);
    } catch (IOException | RuntimeException e) {
      String error =
          timedOut.get()
              ? "no complete response within " + seconds(totalTimeout)
              : describe(e, target);
      return new Response(null, millisSince(start), null, null, error);
    } finally {
      deadline.cancel(false);
    }
  }

  private CloseableHttpClient clientFor(WebhookAddressGuard.CheckedUrl target) {
    InetAddress checked = target.address();
    String host = target.uri().getHost();
    DnsResolver onlyTheCheckedAddress =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String name) throws UnknownHostException {
            if (name.equalsIgnoreCase(host) || ("[" + name + "]").equalsIgnoreCase(host)) {
              return new InetAddress[] {checked};
            }
            throw new UnknownHostException(
                "'" + name + "' was not checked by the webhook address guard");
          }

          @Override
          public String resolveCanonicalHostname(String name) {
            return name;
          }
        };
    ConnectionConfig connection =
        ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(connectTimeout))
            .setSocketTimeout(Timeout.of(totalTimeout))
            .build();
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(onlyTheCheckedAddress)
                // SNI and certificate checks use the URL's host name, not the checked address
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                .setDefaultConnectionConfig(connection)
                .setMaxConnTotal(1)
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setResponseTimeout(Timeout.of(totalTimeout))
                .build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableContentCompression()
        .build();
  }

  private static @Nullable String excerpt(@Nullable HttpEntity entity) throws IOException {
    if (entity == null) {
      return null;
    }
    try (InputStream in = entity.getContent()) {
      byte[] first = in.readNBytes(EXCERPT_BYTES);
      return new String(first, StandardCharsets.UTF_8);
    }
  }

  private String describe(Exception e, WebhookAddressGuard.CheckedUrl target) {
    String where = target.address().getHostAddress() + ":" + target.port();
    String name = e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (name.contains("connecttimeout")) {
      return "no connection to " + where + " within " + seconds(connectTimeout);
    }
    if (name.contains("sockettimeout")) {
      return "no complete response within " + seconds(totalTimeout);
    }
    return "request to " + where + " failed: " + message;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }
}
