-- Dashboard access (issue 8): users with a role, their personal API tokens, failed-login
-- throttling and the audit log of every action. Only the gateway reads or writes these tables.

CREATE TABLE dashboard_user (
    id             uuid          PRIMARY KEY,
    -- Stored lowercase; login names are compared case-insensitively.
    username       varchar(100)  NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) > 0),
    -- A DelegatingPasswordEncoder hash: '{bcrypt}$2a$...'. Never the password.
    password_hash  varchar(500)  NOT NULL,
    role           varchar(16)   NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    enabled        boolean       NOT NULL DEFAULT true,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    created_by     varchar(200)  NOT NULL
);

-- Personal API tokens: only the SHA-256 of the token is kept (the token is 256 random bits, so a
-- fast digest is enough); the prefix lets a person recognise a token in lists.
CREATE TABLE api_token (
    id            uuid          PRIMARY KEY,
    user_id       uuid          NOT NULL REFERENCES dashboard_user (id) ON DELETE CASCADE,
    name          varchar(100)  NOT NULL CHECK (length(name) > 0),
    token_hash    varchar(64)   NOT NULL UNIQUE,
    token_prefix  varchar(16)   NOT NULL,
    -- The token acts with this role, or with its owner's role if that is lower.
    role          varchar(16)   NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    created_at    timestamptz   NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    CONSTRAINT one_token_name_per_user UNIQUE (user_id, name)
);

-- Failed logins per login name (known or not, so that throttling does not reveal which names
-- exist); a name is locked until locked_until after too many failures in a row.
CREATE TABLE login_failure (
    username          varchar(100)  PRIMARY KEY,
    failures          integer       NOT NULL CHECK (failures >= 0),
    last_failure_at   timestamptz   NOT NULL,
    locked_until      timestamptz
);

-- Every action: who (user name, 'api-key' or 'anonymous'), what, on what, when, from where,
-- and how it ended.
CREATE TABLE audit_event (
    id              bigserial      PRIMARY KEY,
    occurred_at     timestamptz    NOT NULL,
    actor           varchar(200)   NOT NULL,
    -- How the actor proved who they are: 'session', 'token', 'api-key', 'none'.
    authenticated_by varchar(16)   NOT NULL CHECK (authenticated_by IN ('session', 'token', 'api-key', 'none')),
    action          varchar(300)   NOT NULL,
    target          varchar(500),
    remote_address  varchar(64),
    outcome         varchar(16)    NOT NULL CHECK (outcome IN ('SUCCESS', 'DENIED', 'FAILED')),
    http_status     integer,
    detail          varchar(1000)
);

CREATE INDEX ix_audit_event_time ON audit_event (occurred_at DESC);
CREATE INDEX ix_audit_event_actor ON audit_event (actor, occurred_at DESC);
