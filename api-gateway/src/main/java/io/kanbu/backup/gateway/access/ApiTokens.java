package io.kanbu.backup.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues, checks and revokes personal API tokens. A token is {@code kbt_} and 43 characters of
 * base64url (256 random bits); the catalog keeps only its SHA-256 digest and its first characters,
 * so a token is shown exactly once, when it is issued.
 */
@Service
public class ApiTokens {

  /** Every personal token starts with this, so it is told apart from the service key. */
  public static final String PREFIX = "kbt_";

  private static final int RANDOM_BYTES = 32;
  private static final int SHOWN_PREFIX_LENGTH = 10;

  private final ApiTokenRepository tokens;
  private final UserAccounts users;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiTokens(ApiTokenRepository tokens, UserAccounts users, Clock clock) {
    this.tokens = tokens;
    this.users = users;
    this.clock = clock;
  }

  /** A token just issued: the secret (shown once) and what is stored about it. */
  public record Issued(String secret, ApiToken token) {
    @Override
    public String toString() {
      return "Issued[secret=<hidden>, token=" + token.getId() + "]";
    }
  }

  /**
   * Issues a token for a user.
   *
   * @param role the role the token acts with; at most the owner's
   * @param validFor how long it works, or null for no expiry
   */
  @Transactional
  public Issued issue(UUID ownerId, String name, Role role, @Nullable Duration validFor) {
    DashboardUser owner = users.find(ownerId);
    String trimmed = name.strip();
    if (trimmed.isEmpty() || trimmed.length() > 100) {
      throw new AccessException.Invalid(
          "name", "a token needs a name of 1 to 100 characters that says what uses it");
    }
    if (!owner.getRole().includes(role)) {
      throw new AccessException.Invalid(
          "role",
          "a token of '"
              + owner.getUsername()
              + "' cannot have role "
              + role
              + ": the user is only "
              + owner.getRole()
              + "; choose "
              + owner.getRole()
              + " or lower");
    }
    if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
      throw new AccessException.Invalid(
          "validDays", "a token must be valid for at least one day, or leave it without expiry");
    }
    if (tokens.existsByOwnerAndName(owner, trimmed)) {
      throw new AccessException.Conflict(
          "'" + owner.getUsername() + "' has a token named '" + trimmed + "' already");
    }
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    ApiToken token =
        tokens.save(
            new ApiToken(
                owner,
                trimmed,
                digest(secret),
                secret.substring(0, SHOWN_PREFIX_LENGTH),
                role,
                now,
                validFor == null ? null : now.plus(validFor)));
    return new Issued(secret, token);
  }

  /** Every token, newest first, revoked ones included. */
  @Transactional(readOnly = true)
  public List<ApiToken> list() {
    return tokens.findAllByOrderByCreatedAtDesc();
  }

  /** Revokes a token; revoking it again changes nothing. */
  @Transactional
  public ApiToken revoke(UUID id) {
    ApiToken token =
        tokens
            .findById(id)
            .orElseThrow(() -> new AccessException.NotFound("no API token with id '" + id + "'"));
    token.revoke(clock.instant());
    return token;
  }

  /** The usable token with this secret, marked as used now; empty for any other secret. */
  @Transactional
  public Optional<ApiToken> authenticate(String secret) {
    if (!secret.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // Looked up by digest: the secret itself is never compared or stored.
    Optional<ApiToken> found =
        tokens.findByTokenHash(digest(secret)).filter(token -> token.isUsableAt(now));
    found.ifPresent(token -> token.markUsed(now));
    return found;
  }

  /** Hex SHA-256 of a token, as stored. */
  static String digest(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
