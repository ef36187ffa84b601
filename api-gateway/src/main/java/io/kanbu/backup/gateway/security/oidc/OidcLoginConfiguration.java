package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.access.OidcAccounts;
import io.kanbu.backup.gateway.audit.AuditLog;
import org.springframework.boot.security.oauth2.client.autoconfigure.ConditionalOnOAuth2ClientRegistrationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Makes {@link OidcLogin} when a client registration is configured, under the same condition as
 * Spring Boot's {@link ClientRegistrationRepository}; without one, nothing of OAuth 2.0 exists and
 * the dashboard has its password form only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnOAuth2ClientRegistrationProperties
class OidcLoginConfiguration {

  @Bean
  OidcLogin oidcLogin(
      ClientRegistrationRepository registrations,
      OidcProperties properties,
      OidcAccounts accounts,
      AuditLog auditLog) {
    return new OidcLogin(registrations, properties, accounts, auditLog);
  }
}
