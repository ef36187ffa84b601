package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.audit.AuditRecord.AuthenticatedBy;
import io.kanbu.backup.gateway.audit.AuditedCaller;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by an API credential: a personal token (named after its owner) or the
 * service key (named {@code api-key}). The credential itself is not kept.
 */
public final class ApiCredentialAuthentication extends AbstractAuthenticationToken
    implements AuditedCaller.Credential {

  /** The principal name of requests made with {@code BACKUP_TRIGGER_API_KEY}. */
  public static final String SERVICE_KEY_PRINCIPAL = "api-key";

  /** The role of the service key: it predates roles and is used for downloads and restores. */
  public static final Role SERVICE_KEY_ROLE = Role.ADMIN;

  private final String name;
  private final Role role;
  private final AuthenticatedBy authenticatedBy;

  private ApiCredentialAuthentication(String name, Role role, AuthenticatedBy authenticatedBy) {
    super(List.of(new SimpleGrantedAuthority(role.authority())));
    this.name = name;
    this.role = role;
    this.authenticatedBy = authenticatedBy;
    setAuthenticated(true);
  }

  /** The service key. */
  public static ApiCredentialAuthentication serviceKey() {
    return new ApiCredentialAuthentication(
        SERVICE_KEY_PRINCIPAL, SERVICE_KEY_ROLE, AuthenticatedBy.API_KEY);
  }

  /** A personal token of {@code owner}, acting with {@code role}. */
  public static ApiCredentialAuthentication token(String owner, Role role) {
    return new ApiCredentialAuthentication(owner, role, AuthenticatedBy.TOKEN);
  }

  public Role role() {
    return role;
  }

  @Override
  public AuthenticatedBy authenticatedBy() {
    return authenticatedBy;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiCredentialAuthentication o
        && o.name.equals(name)
        && o.role == role
        && o.authenticatedBy == authenticatedBy;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, role, authenticatedBy);
  }
}
