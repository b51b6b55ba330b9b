-- Claims carry an `etag` that background events (a delivered e-mail, a breached SLA, the
-- partner's reminder) do not move, and `updated_at` no longer moves with them either:
-- both come from the claim's last other event, as replaying its events now gives.
UPDATE claims SET
    state = json_set(
        state,
        '$.etag', coalesce(
            (SELECT e.seq FROM claim_events e
             WHERE e.claim_id = claims.id
                 AND e.type NOT IN ('email_sent', 'sla_breached', 'response_reminder_due')
             ORDER BY e.seq DESC LIMIT 1),
            version),
        '$.updated_at', coalesce(
            (SELECT json_extract(e.event, '$.at') FROM claim_events e
             WHERE e.claim_id = claims.id
                 AND e.type NOT IN ('email_sent', 'sla_breached', 'response_reminder_due')
             ORDER BY e.seq DESC LIMIT 1),
            json_extract(state, '$.updated_at'))),
    updated_at = coalesce(
        (SELECT e.at FROM claim_events e
         WHERE e.claim_id = claims.id
             AND e.type NOT IN ('email_sent', 'sla_breached', 'response_reminder_due')
         ORDER BY e.seq DESC LIMIT 1),
        updated_at);
