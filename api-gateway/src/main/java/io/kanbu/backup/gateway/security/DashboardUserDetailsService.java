package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.access.DashboardUserRepository;
import io.kanbu.backup.gateway.access.UserAccounts;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Loads a dashboard user for a password login; names are matched case-insensitively. A user who
 * signs in through an OIDC provider has no password and is not found here, so a password login with
 * its name fails like one with an unknown name.
 */
final class DashboardUserDetailsService implements UserDetailsService {

  private final DashboardUserRepository users;

  DashboardUserDetailsService(DashboardUserRepository users) {
    this.users = users;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    DashboardUser user =
        users
            .findByUsername(UserAccounts.canonical(username))
            .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    String passwordHash = user.getPasswordHash();
    if (passwordHash == null) {
      throw new UsernameNotFoundException("no such user");
    }
    return User.withUsername(user.getUsername())
        .password(passwordHash)
        .authorities(user.getRole().authority())
        .disabled(!user.isEnabled())
        .build();
  }
}
