-- A job out of attempts (or whose payload no longer decodes) is parked: kept, listed for
-- operators, and not taken again until requeued.
ALTER TABLE jobs ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_failing ON jobs(id) WHERE done_at IS NULL AND (attempts > 0 OR parked = 1);
