-- Optional OIDC login of the dashboard (issue 8): a dashboard user can stand for one identity at
-- an OpenID Connect provider, known by the provider's issuer and the identity's subject (stable,
-- unlike names and e-mail addresses). Such a user signs in only through the provider: it has no
-- password hash, so a password login with its name can never succeed.

ALTER TABLE dashboard_user
    ADD COLUMN oidc_issuer  varchar(500),
    ADD COLUMN oidc_subject varchar(255),
    ALTER COLUMN password_hash DROP NOT NULL,
    ADD CONSTRAINT dashboard_user_one_user_per_oidc_identity UNIQUE (oidc_issuer, oidc_subject),
    ADD CONSTRAINT dashboard_user_oidc_identity_complete
        CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
    ADD CONSTRAINT dashboard_user_has_a_way_in
        CHECK (password_hash IS NOT NULL OR oidc_issuer IS NOT NULL);

-- Logins through the provider are audited with the method 'oidc', as are the actions of their
-- sessions.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_authenticated_by_check;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_authenticated_by_check
    CHECK (authenticated_by IN ('session', 'token', 'api-key', 'none', 'oidc'));
