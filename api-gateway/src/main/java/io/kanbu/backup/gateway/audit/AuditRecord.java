package io.kanbu.backup.gateway.audit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What is written to the audit log about one action. {@code detail} must never hold a secret.
 *
 * @param actor the user name, {@code api-key} or {@code anonymous}
 * @param authenticatedBy how the actor proved who they are
 * @param action what was done: {@code login}, {@code token.issue}, or the HTTP method and route
 *     ({@code POST /api/v1/backups/{id}/restore})
 * @param target what it was done to ({@code id=…}), if anything
 * @param remoteAddress the client's address
 * @param outcome how it ended
 * @param httpStatus the response status, for HTTP actions
 * @param detail a short explanation, for failures
 */
public record AuditRecord(
    String actor,
    AuthenticatedBy authenticatedBy,
    String action,
    @Nullable String target,
    @Nullable String remoteAddress,
    AuditOutcome outcome,
    @Nullable Integer httpStatus,
    @Nullable String detail) {

  public AuditRecord {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(authenticatedBy, "authenticatedBy");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** How an actor proved who they are. */
  public enum AuthenticatedBy {
    SESSION("session"),
    TOKEN("token"),
    API_KEY("api-key"),
    /** A sign-in through an OIDC provider, and the actions of the session it opened. */
    OIDC("oidc"),
    NONE("none");

    private final String label;

    AuthenticatedBy(String label) {
      this.label = label;
    }

    /** As stored and shown. */
    public String label() {
      return label;
    }
  }
}
