-- Webhook endpoints and their deliveries. A delivery is written in the transaction of the
-- change it tells of, so there is no change without its delivery and no delivery of a
-- change that did not commit. Each attempt is logged.
CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    org_id           TEXT,
    owner_id         TEXT NOT NULL,
    url              TEXT NOT NULL,
    events           TEXT NOT NULL,
    secret           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT,
    disabled_reason  TEXT,
    failing_since    BIGINT
);

CREATE TABLE webhook_deliveries (
    id            BIGSERIAL PRIMARY KEY,
    endpoint_id   TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    message_id    TEXT NOT NULL,
    claim_id      TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       BIGINT,
    locked_until  BIGINT,
    delivered_at  BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
CREATE INDEX webhook_deliveries_claim ON webhook_deliveries(endpoint_id, claim_id, id);

CREATE TABLE webhook_attempts (
    delivery_id  BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    at           BIGINT NOT NULL,
    status_code  INTEGER,
    duration_ms  BIGINT NOT NULL,
    error        TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
