-- Program administration: products may be retired (kept for the claims that name them,
-- refused for new ones) and organisations suspended (their users cannot sign in or call
-- the API). The reference version (settings.ref_version) already makes every process
-- reload reference data after a change.
ALTER TABLE catalog ADD COLUMN retired BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE organisations ADD COLUMN suspended_at BIGINT;
