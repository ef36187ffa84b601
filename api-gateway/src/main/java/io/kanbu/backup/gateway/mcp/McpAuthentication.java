package io.kanbu.backup.gateway.mcp;

import io.kanbu.backup.gateway.security.ApiKeyFilter;
import io.kanbu.backup.gateway.security.ApiKeyVerifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards the MCP endpoint with the API's key ({@code X-Backup-Key: <key>} or {@code Authorization:
 * Bearer <key>}): an unauthenticated MCP request gets the API's {@code 401} problem. Kept to this
 * one registration so that it can be replaced as a whole when the gateway's security covers {@code
 * /mcp/**}.
 */
@Configuration(proxyBeanMethods = false)
public class McpAuthentication {

  /**
   * @param endpoint the MCP server's streamable HTTP endpoint ({@code /mcp} unless configured
   *     otherwise), guarded with everything below it
   */
  @Bean
  FilterRegistrationBean<ApiKeyFilter> mcpApiKeyFilter(
      ApiKeyVerifier verifier,
      JsonMapper json,
      @Value("${spring.ai.mcp.server.streamable-http.mcp-endpoint:/mcp}") String endpoint) {
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyFilter(verifier, json));
    registration.addUrlPatterns(endpoint, endpoint + "/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
