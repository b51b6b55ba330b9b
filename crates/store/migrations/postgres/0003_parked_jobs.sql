-- A job out of attempts (or whose payload no longer decodes) is parked: kept, listed for
-- operators, and not taken again until requeued.
ALTER TABLE jobs ADD COLUMN parked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX jobs_failing ON jobs(id) WHERE done_at IS NULL AND (attempts > 0 OR parked);
