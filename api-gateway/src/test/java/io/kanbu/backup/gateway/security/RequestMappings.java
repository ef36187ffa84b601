package io.kanbu.backup.gateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the gateway serves, read from Spring MVC's own handler mapping, as concrete requests:
 * path variables get a fresh UUID (or {@code default} for a target). A new endpoint is covered by
 * the security tests without touching them.
 */
record RequestMappings(List<Route> routes) {

  /** One method and concrete path. */
  record Route(String method, String pattern, String path) {
    boolean isApi() {
      return path.startsWith("/api/") || path.startsWith("/mcp");
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  static RequestMappings of(RequestMappingHandlerMapping mapping) {
    List<Route> routes = new ArrayList<>();
    for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      Set<RequestMethod> concrete = methods.isEmpty() ? Set.of(RequestMethod.GET) : methods;
      for (String pattern : info.getPatternValues()) {
        for (RequestMethod method : concrete) {
          routes.add(new Route(method.name(), pattern, concrete(pattern)));
        }
      }
    }
    return new RequestMappings(List.copyOf(routes));
  }

  private static String concrete(String pattern) {
    return pattern
        .replace("{target}", "default")
        .replace("{kind}", "DATABASE")
        .replaceAll("\\{\\*?[^}]+}", UUID.randomUUID().toString());
  }
}
