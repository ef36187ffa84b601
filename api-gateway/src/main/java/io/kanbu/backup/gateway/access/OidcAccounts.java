package io.kanbu.backup.gateway.access;

import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard users of OpenID Connect identities. An identity gets its own user at its first
 * sign-in, keyed by issuer and subject, never by name: a provider that hands out the name of an
 * existing local user does not get that user. Its role is the one the provider's claims give at
 * every sign-in, so a role changed in the dashboard lasts only until the user's next sign-in.
 */
@Service
public class OidcAccounts {

  private final DashboardUserRepository users;
  private final Clock clock;

  public OidcAccounts(DashboardUserRepository users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  /** Why a sign-in is refused. */
  public enum Refusal {
    /** The identity's user exists and an administrator disabled it. */
    DISABLED,
    /** A new identity's user name belongs to another user already. */
    NAME_TAKEN
  }

  /** A sign-in refused by the catalog; the message names the user and says what to do. */
  public static final class SignInRefused extends RuntimeException {

    private final Refusal refusal;
    private final String username;

    SignInRefused(Refusal refusal, String username, String message) {
      super(message);
      this.refusal = refusal;
      this.username = username;
    }

    public Refusal refusal() {
      return refusal;
    }

    /** The user name the refusal is about. */
    public String username() {
      return username;
    }
  }

  /**
   * Signs an identity in with the role its claims give: creates its user at the first sign-in,
   * otherwise refreshes the role of the user it has.
   *
   * @throws SignInRefused when its user is disabled, or a new identity's name is taken
   */
  @Transactional
  public DashboardUser signIn(OidcIdentity identity, Role role) {
    Optional<DashboardUser> linked =
        users.findByOidcIssuerAndOidcSubject(identity.issuer(), identity.subject());
    if (linked.isPresent()) {
      DashboardUser user = linked.get();
      if (!user.isEnabled()) {
        throw new SignInRefused(
            Refusal.DISABLED,
            user.getUsername(),
            "user '" + user.getUsername() + "' is disabled; ask an administrator to enable it");
      }
      if (user.getRole() != role) {
        user.changeRole(role, clock.instant());
      }
      return user;
    }
    if (users.findByUsername(identity.username()).isPresent()) {
      throw new SignInRefused(
          Refusal.NAME_TAKEN,
          identity.username(),
          "user name '"
              + identity.username()
              + "' belongs to another dashboard user; ask an administrator to delete that user"
              + " or to give this identity another name at the provider");
    }
    return users.save(DashboardUser.ofOidcIdentity(identity, role, clock.instant()));
  }
}
