package io.kanbu.backup.gateway.restore;

import io.kanbu.backup.gateway.config.GatewayProperties;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The database name of each target, which a restore's confirmation must repeat: the path of {@code
 * DATABASE_URL} for {@code default}, of {@code kanbu.targets.<name>.database-url} for the others.
 * Only the name is read; the rest of the URL (credentials) is never kept.
 */
@Component
public class TargetDatabaseNames {

  private final Environment environment;
  private final GatewayProperties properties;

  public TargetDatabaseNames(Environment environment, GatewayProperties properties) {
    this.environment = environment;
    this.properties = properties;
  }

  /** The database of the target, if the gateway is configured with its URL. */
  public Optional<String> of(String target) {
    String url =
        GatewayProperties.DEFAULT_TARGET.equals(target)
            ? environment.getProperty("DATABASE_URL")
            : Optional.ofNullable(properties.targets().get(target))
                .map(GatewayProperties.Target::databaseUrl)
                .orElse(null);
    return url == null || url.isBlank() ? Optional.empty() : databaseOf(url);
  }

  /** The database in a {@code postgresql://…/db?…} or {@code jdbc:postgresql://…} URL. */
  static Optional<String> databaseOf(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return Optional.empty();
    }
    String rest = url.substring(scheme + 3);
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
    if (slash < 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(
        URLDecoder.decode(rest.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
  }
}
