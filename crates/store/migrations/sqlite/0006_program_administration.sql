-- Program administration: products may be retired (kept for the claims that name them,
-- refused for new ones), organisations suspended (their users cannot sign in or call the
-- API), and the reference data carries a version, so that every process on this
-- database (a `cpor serve` and a `cpor admin` beside it) reloads it after a change.
ALTER TABLE catalog ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN suspended_at INTEGER;
INSERT OR IGNORE INTO settings (key, value) VALUES ('ref_version', '0');
