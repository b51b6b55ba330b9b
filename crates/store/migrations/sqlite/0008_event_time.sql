-- Reports read the event log by time: (at, claim_id, seq) is their order, so a month's
-- report walks its own events only.
CREATE INDEX claim_events_at ON claim_events(at, claim_id, seq);
