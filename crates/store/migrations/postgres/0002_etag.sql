-- Claims carry an `etag` that background events (a delivered e-mail, a breached SLA, the
-- partner's reminder) do not move, and `updated_at` no longer moves with them either:
-- both come from the claim's last other event, as replaying its events now gives.
UPDATE claims c SET
    state = jsonb_set(
        jsonb_set(c.state::jsonb, '{etag}', to_jsonb(l.seq)),
        '{updated_at}', l.event::jsonb -> 'at')::text,
    updated_at = l.at
FROM (
    SELECT DISTINCT ON (claim_id) claim_id, seq, at, event FROM claim_events
    WHERE type NOT IN ('email_sent', 'sla_breached', 'response_reminder_due')
    ORDER BY claim_id, seq DESC
) l
WHERE c.id = l.claim_id COLLATE "C";
