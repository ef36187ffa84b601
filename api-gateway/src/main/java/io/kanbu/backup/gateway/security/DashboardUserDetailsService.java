package io.kanbu.backup.gateway.security;

import io.kanbu.backup.gateway.access.DashboardUserRepository;
import io.kanbu.backup.gateway.access.UserAccounts;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Loads a dashboard user for a password login; names are matched case-insensitively. */
final class DashboardUserDetailsService implements UserDetailsService {

  private final DashboardUserRepository users;

  DashboardUserDetailsService(DashboardUserRepository users) {
    this.users = users;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    return users
        .findByUsername(UserAccounts.canonical(username))
        .map(
            user ->
                User.withUsername(user.getUsername())
                    .password(user.getPasswordHash())
                    .authorities(user.getRole().authority())
                    .disabled(!user.isEnabled())
                    .build())
        .orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }
}
