package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.AccessProperties;
import io.kanbu.backup.gateway.access.ApiTokens;
import io.kanbu.backup.gateway.access.DashboardUserRepository;
import io.kanbu.backup.gateway.access.LoginThrottle;
import io.kanbu.backup.gateway.audit.AuditFilter;
import io.kanbu.backup.gateway.audit.AuditLog;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.security.oidc.OidcLogin;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two filter chains. The API ({@code /api/**}, {@code /mcp/**}) is stateless: a personal token or
 * the service key on every request, no cookies, so no CSRF token. The dashboard (everything else)
 * uses a form login with a session cookie (and, when configured, sign-in through an OIDC provider,
 * see {@link OidcLogin}), CSRF tokens on every form and htmx request, and strict security headers.
 * Both ask {@link AccessPolicy} which role a request needs, and both audit.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  /** No inline scripts or styles, nothing from other origins, never inside a frame. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  @Bean
  ApiKeyVerifier apiKeyVerifier(GatewayProperties properties) {
    return new ApiKeyVerifier(properties.trigger().apiKey());
  }

  /** Argon2id for new passwords; bcrypt hashes are still understood. */
  @Bean
  PasswordEncoder passwordEncoder() {
    String argon2 = "argon2";
    return new DelegatingPasswordEncoder(
        argon2,
        Map.of(
            argon2,
            Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
            "bcrypt",
            new BCryptPasswordEncoder()));
  }

  @Bean
  AuthenticationManager authenticationManager(
      DashboardUserRepository users,
      PasswordEncoder passwordEncoder,
      LoginThrottle throttle,
      AuditLog auditLog,
      AccessProperties properties) {
    DaoAuthenticationProvider passwords =
        new DaoAuthenticationProvider(new DashboardUserDetailsService(users));
    passwords.setPasswordEncoder(passwordEncoder);
    return new ProviderManager(
        new ThrottledLoginProvider(passwords, throttle, auditLog, properties));
  }

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(
      HttpSecurity http,
      ApiKeyVerifier serviceKey,
      ApiTokens tokens,
      AuditLog auditLog,
      JsonMapper json)
      throws Exception {
    ApiProblemResponder problems = new ApiProblemResponder(json);
    http.securityMatcher("/api/**", "/mcp", "/mcp/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new ApiCredentialFilter(serviceKey, tokens), AnonymousAuthenticationFilter.class)
        .addFilterAfter(new AuditFilter(auditLog), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(a -> a.anyRequest().access(new PolicyAuthorizationManager()))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'")));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain dashboardChain(
      HttpSecurity http,
      AuditLog auditLog,
      DashboardUserRepository users,
      ObjectProvider<OidcLogin> oidcLogin)
      throws Exception {
    OidcLogin oidc = oidcLogin.getIfAvailable();
    if (oidc != null) {
      oidc.configure(http);
    }
    http.authorizeHttpRequests(a -> a.anyRequest().access(new PolicyAuthorizationManager()))
        .formLogin(
            form ->
                form.loginPage("/login")
                    .failureHandler(new LoginFailureRedirect())
                    .defaultSuccessUrl("/", false))
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        .addFilterBefore(new SessionUserRefresher(users), AnonymousAuthenticationFilter.class)
        .addFilterAfter(new AuditFilter(auditLog), AnonymousAuthenticationFilter.class)
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                    .frameOptions(frame -> frame.deny())
                    .referrerPolicy(
                        referrer ->
                            referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
    return http.build();
  }
}
