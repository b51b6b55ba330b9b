-- Web sign-in: passwords, languages and disabled accounts; named API tokens that expire
-- and can be revoked; browser sessions; one-time links (invitations, password resets);
-- failed sign-ins, counted to slow down guessing. Times are microseconds since the epoch.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

-- The public id of a token: the first 16 hex characters of its hash.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
UPDATE api_tokens SET id = substr(token_hash, 1, 16);
ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL;
ALTER TABLE api_tokens ADD COLUMN name TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);

-- Browser sessions, stored under the SHA-256 of their secret id.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    csrf          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One-time links, stored under the SHA-256 of their secret.
CREATE TABLE account_links (
    hash        TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    purpose     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

-- One row per failed sign-in under each of its keys ("account:...", "address:...").
CREATE TABLE login_failures (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures(key, at);
