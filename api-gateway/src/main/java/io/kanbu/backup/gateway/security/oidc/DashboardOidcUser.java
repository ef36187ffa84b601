package io.kanbu.backup.gateway.security.oidc;

import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.audit.AuditRecord.AuthenticatedBy;
import io.kanbu.backup.gateway.audit.AuditedCaller;
import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The principal of a session opened through an OIDC provider: named after its dashboard user (not
 * the provider's subject), with that user's role as its only authority, so pages, tokens and the
 * audit log treat it like a password session. The provider's claims stay readable.
 */
public final class DashboardOidcUser implements OidcUser, AuditedCaller.Credential, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final OidcUser provided;
  private final String username;
  private final Role role;

  DashboardOidcUser(OidcUser provided, String username, Role role) {
    this.provided = provided;
    this.username = username;
    this.role = role;
  }

  /** The dashboard user name. */
  @Override
  public String getName() {
    return username;
  }

  /** The role at sign-in; the session's authentication follows later changes in the catalog. */
  public Role role() {
    return role;
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return List.of(new SimpleGrantedAuthority(role.authority()));
  }

  @Override
  public Map<String, Object> getClaims() {
    return provided.getClaims();
  }

  @Override
  public @Nullable OidcUserInfo getUserInfo() {
    return provided.getUserInfo();
  }

  @Override
  public OidcIdToken getIdToken() {
    return provided.getIdToken();
  }

  @Override
  public Map<String, Object> getAttributes() {
    return provided.getAttributes();
  }

  @Override
  public AuthenticatedBy authenticatedBy() {
    return AuthenticatedBy.OIDC;
  }

  @Override
  public String toString() {
    // The claims can hold personal data: kept out of logs.
    return "DashboardOidcUser[" + username + ", " + role + "]";
  }
}
