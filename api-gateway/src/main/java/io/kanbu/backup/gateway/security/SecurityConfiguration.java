package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.config.GatewayProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * API key authentication for everything under {@code /api/}. Users and roles come with the
 * dashboard; until then one key guards the API. {@code /actuator/health} and {@code /v3/api-docs}
 * stay open.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  ApiKeyVerifier apiKeyVerifier(GatewayProperties properties) {
    return new ApiKeyVerifier(properties.trigger().apiKey());
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeyVerifier verifier, JsonMapper json) {
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyFilter(verifier, json));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
