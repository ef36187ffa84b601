package io.kanbu.backup.core.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a webhook URL may be called, against server-side request forgery: {@code https}
 * only unless plain {@code http} is allowed; the host is resolved once and every address it
 * resolves to must be public. Loopback, unspecified, private (RFC 1918), link-local (with the cloud
 * metadata services at 169.254.169.254), carrier-grade NAT (100.64.0.0/10), multicast, IPv6
 * unique-local and link-local addresses, and IPv4 addresses written in IPv6 form (mapped,
 * compatible, NAT64, 6to4) of any of those are refused, unless the host is listed as allowed. The
 * caller connects to the checked address, never resolving the name again, so a DNS answer that
 * changes between the check and the connection cannot send it elsewhere.
 */
public final class WebhookAddressGuard {

  /** Resolves a host name; the system resolver in production, a fixed table in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /**
   * A URL that passed the checks, and the address to connect to.
   *
   * @param address the checked address; connect to it (with the URL's host as TLS server name and
   *     {@code Host} header), never to a new resolution of the name
   */
  public record CheckedUrl(URI uri, InetAddress address, int port) {}

  private final boolean allowHttp;
  private final Set<String> allowedHosts;
  private final Resolver resolver;

  /**
   * @param allowHttp plain {@code http} URLs are allowed ({@code BACKUP_WEBHOOK_ALLOW_HTTP})
   * @param allowedHosts host names or literal addresses that may be non-public ({@code
   *     BACKUP_WEBHOOK_ALLOWED_HOSTS}), e.g. a receiver on the same network
   */
  public WebhookAddressGuard(boolean allowHttp, Set<String> allowedHosts, Resolver resolver) {
    this.allowHttp = allowHttp;
    this.allowedHosts =
        allowedHosts.stream()
            .map(h -> h.strip().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    this.resolver = resolver;
  }

  /** A guard with the system resolver. */
  public static WebhookAddressGuard system(boolean allowHttp, Set<String> allowedHosts) {
    return new WebhookAddressGuard(
        allowHttp, allowedHosts, host -> List.of(InetAddress.getAllByName(host)));
  }

  /**
   * Checks a URL and resolves its host once.
   *
   * @throws WebhookAddressRefusedException naming the URL's host and the rule it broke
   */
  public CheckedUrl check(String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new WebhookAddressRefusedException("'" + url + "' is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new WebhookAddressRefusedException(
          "webhook URLs must use https"
              + (allowHttp ? " or http" : " (set BACKUP_WEBHOOK_ALLOW_HTTP=true to allow http)")
              + "; '"
              + url
              + "' does not");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new WebhookAddressRefusedException("'" + url + "' names no host");
    }
    if (uri.getUserInfo() != null) {
      throw new WebhookAddressRefusedException(
          "'" + uri.getHost() + "': webhook URLs must not carry a user name or password");
    }
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(bareHost);
    } catch (UnknownHostException e) {
      throw new WebhookAddressRefusedException(
          "host '" + bareHost + "' of the webhook URL does not resolve", true);
    }
    if (addresses.isEmpty()) {
      throw new WebhookAddressRefusedException(
          "host '" + bareHost + "' of the webhook URL does not resolve", true);
    }
    boolean allowed = allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT));
    if (!allowed) {
      for (InetAddress address : addresses) {
        Optional<String> why = nonPublic(address);
        if (why.isPresent()) {
          throw new WebhookAddressRefusedException(
              "host '"
                  + bareHost
                  + "' resolves to "
                  + address.getHostAddress()
                  + ", "
                  + why.get()
                  + "; webhooks go to public addresses only (list the host in"
                  + " BACKUP_WEBHOOK_ALLOWED_HOSTS to allow it)");
        }
      }
    }
    return new CheckedUrl(uri, addresses.getFirst(), port);
  }

  /** Why an address is not public, or empty if it is. */
  static Optional<String> nonPublic(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      Optional<Inet4Address> embedded = embeddedIpv4(v6.getAddress());
      if (embedded.isPresent()) {
        return nonPublic(embedded.get()).map(why -> why + " (in IPv6 form)");
      }
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("an unspecified address");
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address (cloud metadata services live there)");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("a private address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    byte[] b = address.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return Optional.of("in 0.0.0.0/8 (this network)");
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return Optional.of("a carrier-grade NAT address (100.64.0.0/10)");
      }
      if (first >= 240) {
        return Optional.of("a reserved or broadcast address");
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return Optional.of("an IETF protocol address (192.0.0.0/24)");
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return Optional.of("a benchmarking address (198.18.0.0/15)");
      }
    } else {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return Optional.of("a unique-local IPv6 address (fc00::/7)");
      }
      if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return Optional.of("a site-local IPv6 address (fec0::/10)");
      }
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address an IPv6 address carries: mapped ({@code ::ffff:a.b.c.d}), compatible ({@code
   * ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) or 6to4 ({@code 2002:aabb:ccdd::}).
   */
  private static Optional<Inet4Address> embeddedIpv4(byte[] b) {
    boolean firstTenZero = true;
    for (int i = 0; i < 10; i++) {
      firstTenZero &= b[i] == 0;
    }
    byte[] v4 = null;
    if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if (firstTenZero && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15)) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if ((b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && allZero(b, 4, 11)) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      v4 = new byte[] {b[2], b[3], b[4], b[5]};
    }
    if (v4 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i <= to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
