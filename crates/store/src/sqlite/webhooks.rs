//! Webhook endpoints, deliveries and their log on SQLite.

use crate::conv::{parse, parse_value};
use crate::rows::{from_micros, micros};
use crate::{
    AttemptOutcome, DeliveryAttempt, DeliveryStatus, Result, WebhookDelivery, WebhookEndpoint,
};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::values::{OrgId, WebhookId};
use cpor_domain::webhook::Message;
use rusqlite::{Connection, Row, params};

const ENDPOINT: &str = "SELECT id, org_id, owner_id, url, events, secret, created_at, disabled_at,
    disabled_reason, failing_since FROM webhook_endpoints";
const DELIVERY: &str = "SELECT id, endpoint_id, message_id, claim_id, event_type, payload,
    created_at, status, attempts, next_at, delivered_at FROM webhook_deliveries";

fn endpoint_of(r: &Row) -> Result<WebhookEndpoint> {
    Ok(WebhookEndpoint {
        id: parse("webhook id", &r.get::<_, String>("id")?)?,
        org_id: r
            .get::<_, Option<String>>("org_id")?
            .map(|o| parse("organisation id", &o))
            .transpose()?,
        owner_id: parse("user id", &r.get::<_, String>("owner_id")?)?,
        url: r.get("url")?,
        events: r
            .get::<_, String>("events")?
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        secret: r.get("secret")?,
        created_at: from_micros(r.get("created_at")?),
        disabled_at: r.get::<_, Option<i64>>("disabled_at")?.map(from_micros),
        disabled_reason: r.get("disabled_reason")?,
        failing_since: r.get::<_, Option<i64>>("failing_since")?.map(from_micros),
    })
}

fn delivery_of(r: &Row) -> Result<WebhookDelivery> {
    Ok(WebhookDelivery {
        id: r.get("id")?,
        endpoint_id: parse("webhook id", &r.get::<_, String>("endpoint_id")?)?,
        message_id: r.get("message_id")?,
        claim_id: parse("claim id", &r.get::<_, String>("claim_id")?)?,
        event_type: r.get("event_type")?,
        payload: r.get("payload")?,
        created_at: from_micros(r.get("created_at")?),
        status: parse_value(&r.get::<_, String>("status")?)?,
        attempts: r.get("attempts")?,
        next_at: r.get::<_, Option<i64>>("next_at")?.map(from_micros),
        delivered_at: r.get::<_, Option<i64>>("delivered_at")?.map(from_micros),
    })
}

fn all<T>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    of: fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(of(r)?);
    }
    Ok(out)
}

pub fn create(c: &Connection, e: &WebhookEndpoint) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO webhook_endpoints (id, org_id, owner_id, url, events, secret, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.id.to_string(),
        e.org_id.map(|o| o.to_string()),
        e.owner_id.to_string(),
        e.url,
        e.events.join(" "),
        e.secret,
        micros(e.created_at)
    ])?;
    Ok(())
}

pub fn list(c: &Connection, org: Option<OrgId>) -> Result<Vec<WebhookEndpoint>> {
    all(
        c,
        &format!("{ENDPOINT} WHERE ?1 IS NULL OR org_id = ?1 ORDER BY created_at, id"),
        [org.map(|o| o.to_string())],
        endpoint_of,
    )
}

pub fn every(c: &Connection) -> Result<Vec<WebhookEndpoint>> {
    all(c, ENDPOINT, [], endpoint_of)
}

pub fn get(c: &Connection, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
    Ok(all(
        c,
        &format!("{ENDPOINT} WHERE id = ?1"),
        [id.to_string()],
        endpoint_of,
    )?
    .pop())
}

pub fn set_disabled(
    c: &Connection,
    id: WebhookId,
    disabled: Option<(Timestamp, &str)>,
) -> Result<bool> {
    Ok(c.prepare_cached(
        "UPDATE webhook_endpoints SET disabled_at = ?2, disabled_reason = ?3,
             failing_since = CASE WHEN ?2 IS NULL THEN NULL ELSE failing_since END
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        disabled.map(|(t, _)| micros(t)),
        disabled.map(|(_, why)| why)
    ])? > 0)
}

pub fn delete(c: &Connection, id: WebhookId) -> Result<bool> {
    Ok(
        c.prepare_cached("DELETE FROM webhook_endpoints WHERE id = ?1")?
            .execute([id.to_string()])?
            > 0,
    )
}

pub fn enqueue(
    c: &Connection,
    e: &WebhookEndpoint,
    m: &Message,
    message_id: &str,
    now: Timestamp,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO webhook_deliveries (endpoint_id, message_id, claim_id, event_type, payload, created_at, status, next_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?6)",
    )?
    .execute(params![
        e.id.to_string(),
        message_id,
        m.claim_id.to_string(),
        m.event_type,
        m.body_for(e.side()).to_string(),
        micros(now)
    ])?;
    Ok(())
}

pub fn take_due(
    c: &Connection,
    now: Timestamp,
    limit: u32,
    lease: SignedDuration,
) -> Result<Vec<WebhookDelivery>> {
    let due = all(
        c,
        &format!(
            "{DELIVERY} d WHERE d.status = 'pending' AND d.next_at <= ?1
               AND (d.locked_until IS NULL OR d.locked_until <= ?1)
               AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                   AND p.claim_id = d.claim_id AND p.status = 'pending' AND p.id < d.id)
             ORDER BY d.next_at, d.id LIMIT ?2"
        ),
        params![micros(now), limit],
        delivery_of,
    )?;
    let until = micros(now) + lease.as_micros() as i64;
    let mut lock =
        c.prepare_cached("UPDATE webhook_deliveries SET locked_until = ?2 WHERE id = ?1")?;
    for d in &due {
        lock.execute(params![d.id, until])?;
    }
    Ok(due)
}

pub fn record_attempt(
    c: &Connection,
    d: &WebhookDelivery,
    a: &DeliveryAttempt,
    outcome: AttemptOutcome,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, duration_ms, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        d.id,
        a.attempt,
        micros(a.at),
        a.status_code,
        a.duration_ms as i64,
        a.error
    ])?;
    let (status, next_at, delivered_at) = match outcome {
        AttemptOutcome::Delivered => (DeliveryStatus::Delivered, None, Some(micros(a.at))),
        AttemptOutcome::RetryAt(t) => (DeliveryStatus::Pending, Some(micros(t)), None),
        AttemptOutcome::GiveUp => (DeliveryStatus::Failed, None, None),
    };
    c.prepare_cached(
        "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, next_at = ?4, delivered_at = ?5,
             locked_until = NULL WHERE id = ?1",
    )?
    .execute(params![
        d.id,
        status.as_str(),
        a.attempt,
        next_at,
        delivered_at
    ])?;
    let streak = if outcome == AttemptOutcome::Delivered {
        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?1 AND ?2 IS NOT NULL"
    } else {
        "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?2) WHERE id = ?1"
    };
    c.prepare_cached(streak)?
        .execute(params![d.endpoint_id.to_string(), micros(a.at)])?;
    Ok(())
}

pub fn deliveries(
    c: &Connection,
    endpoint: WebhookId,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<WebhookDelivery>> {
    all(
        c,
        &format!("{DELIVERY} WHERE endpoint_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"),
        params![endpoint.to_string(), before.unwrap_or(i64::MAX), limit],
        delivery_of,
    )
}

pub fn attempts(c: &Connection, delivery: i64) -> Result<Vec<DeliveryAttempt>> {
    all(
        c,
        "SELECT attempt, at, status_code, duration_ms, error FROM webhook_attempts
         WHERE delivery_id = ?1 ORDER BY attempt",
        [delivery],
        |r| {
            Ok(DeliveryAttempt {
                attempt: r.get("attempt")?,
                at: from_micros(r.get("at")?),
                status_code: r.get("status_code")?,
                duration_ms: r.get::<_, i64>("duration_ms")? as u64,
                error: r.get("error")?,
            })
        },
    )
}

pub fn redeliver(
    c: &Connection,
    endpoint: WebhookId,
    delivery: i64,
    now: Timestamp,
) -> Result<bool> {
    Ok(c.prepare_cached(
        "UPDATE webhook_deliveries SET status = 'pending', next_at = ?3, created_at = ?3,
             locked_until = NULL
         WHERE id = ?2 AND endpoint_id = ?1",
    )?
    .execute(params![endpoint.to_string(), delivery, micros(now)])?
        > 0)
}
