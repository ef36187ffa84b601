package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.access.Role;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Gives a signed-in identity its role from one claim: the highest role that one of the claim's
 * values is listed for ({@link OidcProperties#adminGroups()} before {@link
 * OidcProperties#operatorGroups()} before {@link OidcProperties#viewerGroups()}), or none.
 */
public final class OidcRoleMapper {

  private final OidcProperties properties;

  public OidcRoleMapper(OidcProperties properties) {
    this.properties = properties;
  }

  /** The role the claims give, or empty when none of the claim's values is listed. */
  public Optional<Role> roleOf(Map<String, Object> claims) {
    List<String> values = claimValues(claims);
    if (values.stream().anyMatch(properties.adminGroups()::contains)) {
      return Optional.of(Role.ADMIN);
    }
    if (values.stream().anyMatch(properties.operatorGroups()::contains)) {
      return Optional.of(Role.OPERATOR);
    }
    if (values.stream().anyMatch(properties.viewerGroups()::contains)) {
      return Optional.of(Role.VIEWER);
    }
    return Optional.empty();
  }

  /**
   * The values of the roles claim: the strings of a list, a single string as a list of one, and
   * nothing when the claim is missing. A name with dots that is not a claim itself is a path into
   * nested objects ({@code realm_access.roles}).
   */
  public List<String> claimValues(Map<String, Object> claims) {
    Object value = find(claims, properties.rolesClaim());
    if (value instanceof Collection<?> collection) {
      return collection.stream()
          .filter(item -> item instanceof String || item instanceof Number)
          .map(Object::toString)
          .toList();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return List.of(value.toString());
    }
    return List.of();
  }

  private static @Nullable Object find(Map<String, Object> claims, String name) {
    if (claims.containsKey(name)) {
      return claims.get(name);
    }
    Object current = claims;
    for (String part : name.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
