-- cpor schema, PostgreSQL. Times that are compared or sorted are BIGINT microseconds since
-- the epoch; ids are canonical lower-case UUID text (v7 ids sort by creation).

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- A partner location. An MPN ID belongs to one organisation.
CREATE TABLE locations (
    mpn_id  TEXT PRIMARY KEY,
    org_id  TEXT NOT NULL REFERENCES organisations(id),
    name    TEXT
);
CREATE INDEX locations_org ON locations(org_id);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    org_id      TEXT REFERENCES organisations(id),
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users(lower(email));
CREATE INDEX users_org ON users(org_id);

-- API tokens, stored as the SHA-256 of the secret.
CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE catalog (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    solution_area  TEXT NOT NULL,
    dynamics_365   BOOLEAN NOT NULL,
    position       BIGINT NOT NULL
);

CREATE TABLE holidays (
    date  TEXT PRIMARY KEY,
    name  TEXT
);

-- Policy and program map, as JSON.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE tenants (
    tenant_id    TEXT PRIMARY KEY,
    imported_at  BIGINT NOT NULL
);

-- A verified domain belongs to one tenant.
CREATE TABLE tenant_domains (
    domain     TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(tenant_id)
);
CREATE INDEX tenant_domains_tenant ON tenant_domains(tenant_id);

CREATE TABLE subscriptions (
    subscription_id  TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(tenant_id),
    product          TEXT NOT NULL,
    state            TEXT NOT NULL,
    channel          TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT
);
CREATE INDEX subscriptions_tenant ON subscriptions(tenant_id);

-- A claim's current state (JSON) and the columns lists filter and sort on.
CREATE TABLE claims (
    -- Byte order, so that ids sort as the times they hold.
    id                  TEXT COLLATE "C" PRIMARY KEY,
    org_id              TEXT NOT NULL,
    mpn_id              TEXT NOT NULL,
    tenant_id           TEXT NOT NULL,
    domain              TEXT NOT NULL,
    name                TEXT NOT NULL,
    solution_area       TEXT NOT NULL,
    activity            TEXT NOT NULL,
    status              TEXT NOT NULL,
    phase               TEXT,
    queue_due           BIGINT,
    consent_token_hash  TEXT UNIQUE,
    version             BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    state               TEXT NOT NULL
);
-- Lists are newest first (id DESC) with keyset pagination on id; each common filter has
-- an index that ends in id, so a page reads only its own rows.
CREATE INDEX claims_org ON claims(org_id, id);
CREATE INDEX claims_org_status ON claims(org_id, status, id);
CREATE INDEX claims_org_phase ON claims(org_id, phase, id) WHERE phase IS NOT NULL;
CREATE INDEX claims_status ON claims(status, id);
CREATE INDEX claims_phase ON claims(phase, id) WHERE phase IS NOT NULL;
CREATE INDEX claims_tenant ON claims(tenant_id, id);
CREATE INDEX claims_mpn ON claims(mpn_id, id);
CREATE INDEX claims_queue ON claims(queue_due, id) WHERE queue_due IS NOT NULL;

-- The append-only event log: the history users see.
CREATE TABLE claim_events (
    claim_id  TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    type      TEXT NOT NULL,
    event     TEXT NOT NULL,
    PRIMARY KEY (claim_id, seq)
);

CREATE TABLE comments (
    id        TEXT PRIMARY KEY,
    claim_id  TEXT NOT NULL,
    thread    TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    author    TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX comments_claim ON comments(claim_id, seq);

CREATE TABLE poe (
    id           TEXT PRIMARY KEY,
    claim_id     TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX poe_claim ON poe(claim_id);

-- One holder per association key: the primary key is the rule.
CREATE TABLE association_keys (
    key        TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    claim_id   TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    since      BIGINT NOT NULL,
    key_json   TEXT NOT NULL
);
CREATE INDEX association_keys_tenant ON association_keys(tenant_id);
CREATE INDEX association_keys_claim ON association_keys(claim_id);

-- Timers and outbox e-mails. A job is never deleted before it succeeded; done jobs keep
-- their outcome.
CREATE TABLE jobs (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL,
    claim_id      TEXT NOT NULL,
    timer         TEXT,
    payload       TEXT NOT NULL,
    due_at        BIGINT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    done_at       BIGINT,
    outcome       TEXT
);
CREATE INDEX jobs_due ON jobs(due_at) WHERE done_at IS NULL;
CREATE INDEX jobs_claim_timers ON jobs(claim_id) WHERE done_at IS NULL AND kind = 'timer';

CREATE TABLE idempotency (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    claim_id      TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created       BOOLEAN NOT NULL,
    at            BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Bumped by every change of reference data, so that every process reloads it.
INSERT INTO settings (key, value) VALUES ('ref_version', '0');
