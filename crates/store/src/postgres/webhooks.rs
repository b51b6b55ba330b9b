//! Webhook endpoints, deliveries and their log on PostgreSQL. Due deliveries are leased
//! with `FOR UPDATE SKIP LOCKED`, so several processes deliver without doubling up.

use super::error::{col, map};
use crate::conv::{parse, parse_value};
use crate::rows::{from_micros, micros};
use crate::{
    AttemptOutcome, DeliveryAttempt, DeliveryStatus, Result, WebhookDelivery, WebhookEndpoint,
};
use cpor_domain::jiff::{SignedDuration, Timestamp};
use cpor_domain::values::{OrgId, WebhookId};
use cpor_domain::webhook::Message;
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

const ENDPOINT: &str = "SELECT id, org_id, owner_id, url, events, secret, created_at, disabled_at,
    disabled_reason, failing_since FROM webhook_endpoints";
const DELIVERY_COLUMNS: &str = "id, endpoint_id, message_id, claim_id, event_type, payload,
    created_at, status, attempts, next_at, delivered_at";

fn endpoint_of(r: &PgRow) -> Result<WebhookEndpoint> {
    Ok(WebhookEndpoint {
        id: parse("webhook id", &col::<String>(r, "id")?)?,
        org_id: col::<Option<String>>(r, "org_id")?
            .map(|o| parse("organisation id", &o))
            .transpose()?,
        owner_id: parse("user id", &col::<String>(r, "owner_id")?)?,
        url: col(r, "url")?,
        events: col::<String>(r, "events")?
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        secret: col(r, "secret")?,
        created_at: from_micros(col(r, "created_at")?),
        disabled_at: col::<Option<i64>>(r, "disabled_at")?.map(from_micros),
        disabled_reason: col(r, "disabled_reason")?,
        failing_since: col::<Option<i64>>(r, "failing_since")?.map(from_micros),
    })
}

fn delivery_of(r: &PgRow) -> Result<WebhookDelivery> {
    Ok(WebhookDelivery {
        id: col(r, "id")?,
        endpoint_id: parse("webhook id", &col::<String>(r, "endpoint_id")?)?,
        message_id: col(r, "message_id")?,
        claim_id: parse("claim id", &col::<String>(r, "claim_id")?)?,
        event_type: col(r, "event_type")?,
        payload: col(r, "payload")?,
        created_at: from_micros(col(r, "created_at")?),
        status: parse_value(&col::<String>(r, "status")?)?,
        attempts: col::<i32>(r, "attempts")? as u32,
        next_at: col::<Option<i64>>(r, "next_at")?.map(from_micros),
        delivered_at: col::<Option<i64>>(r, "delivered_at")?.map(from_micros),
    })
}

pub async fn create(c: &mut PgConnection, e: &WebhookEndpoint) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, org_id, owner_id, url, events, secret, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.to_string())
    .bind(e.org_id.map(|o| o.to_string()))
    .bind(e.owner_id.to_string())
    .bind(&e.url)
    .bind(e.events.join(" "))
    .bind(&e.secret)
    .bind(micros(e.created_at))
    .execute(c)
    .await
    .map_err(map)?;
    Ok(())
}

pub async fn list(c: &mut PgConnection, org: Option<OrgId>) -> Result<Vec<WebhookEndpoint>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ENDPOINT} WHERE $1::text IS NULL OR org_id = $1 ORDER BY created_at, id"
    )))
    .bind(org.map(|o| o.to_string()))
    .fetch_all(c)
    .await
    .map_err(map)?
    .iter()
    .map(endpoint_of)
    .collect()
}

pub async fn every(c: &mut PgConnection) -> Result<Vec<WebhookEndpoint>> {
    sqlx::query(ENDPOINT)
        .fetch_all(c)
        .await
        .map_err(map)?
        .iter()
        .map(endpoint_of)
        .collect()
}

pub async fn get(c: &mut PgConnection, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{ENDPOINT} WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(c)
        .await
        .map_err(map)?
        .as_ref()
        .map(endpoint_of)
        .transpose()
}

pub async fn set_disabled(
    c: &mut PgConnection,
    id: WebhookId,
    disabled: Option<(Timestamp, &str)>,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3,
             failing_since = CASE WHEN $2::bigint IS NULL THEN NULL ELSE failing_since END
         WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(disabled.map(|(t, _)| micros(t)))
    .bind(disabled.map(|(_, why)| why))
    .execute(c)
    .await
    .map_err(map)?
    .rows_affected()
        > 0)
}

pub async fn delete(c: &mut PgConnection, id: WebhookId) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await
        .map_err(map)?
        .rows_affected()
        > 0)
}

pub async fn enqueue(
    c: &mut PgConnection,
    e: &WebhookEndpoint,
    m: &Message,
    message_id: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (endpoint_id, message_id, claim_id, event_type, payload, created_at, status, next_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $6)",
    )
    .bind(e.id.to_string())
    .bind(message_id)
    .bind(m.claim_id.to_string())
    .bind(&m.event_type)
    .bind(m.body_for(e.side()).to_string())
    .bind(micros(now))
    .execute(c)
    .await
    .map_err(map)?;
    Ok(())
}

pub async fn take_due(
    c: &mut PgConnection,
    now: Timestamp,
    limit: u32,
    lease: SignedDuration,
) -> Result<Vec<WebhookDelivery>> {
    let until = micros(now) + lease.as_micros() as i64;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE webhook_deliveries SET locked_until = $3 WHERE id IN (
             SELECT d.id FROM webhook_deliveries d
             WHERE d.status = 'pending' AND d.next_at <= $1
               AND (d.locked_until IS NULL OR d.locked_until <= $1)
               AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
                   AND p.claim_id = d.claim_id AND p.status = 'pending' AND p.id < d.id)
             ORDER BY d.next_at, d.id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING {DELIVERY_COLUMNS}"
    )))
    .bind(micros(now))
    .bind(limit as i64)
    .bind(until)
    .fetch_all(c)
    .await
    .map_err(map)?
    .iter()
    .map(delivery_of)
    .collect()
}

pub async fn record_attempt(
    c: &mut PgConnection,
    d: &WebhookDelivery,
    a: &DeliveryAttempt,
    outcome: AttemptOutcome,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(d.id)
    .bind(a.attempt as i32)
    .bind(micros(a.at))
    .bind(a.status_code.map(i32::from))
    .bind(a.duration_ms as i64)
    .bind(&a.error)
    .execute(&mut *c)
    .await
    .map_err(map)?;
    let (status, next_at, delivered_at) = match outcome {
        AttemptOutcome::Delivered => (DeliveryStatus::Delivered, None, Some(micros(a.at))),
        AttemptOutcome::RetryAt(t) => (DeliveryStatus::Pending, Some(micros(t)), None),
        AttemptOutcome::GiveUp => (DeliveryStatus::Failed, None, None),
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $2, attempts = $3, next_at = $4, delivered_at = $5,
             locked_until = NULL WHERE id = $1",
    )
    .bind(d.id)
    .bind(status.as_str())
    .bind(a.attempt as i32)
    .bind(next_at)
    .bind(delivered_at)
    .execute(&mut *c)
    .await
    .map_err(map)?;
    let streak = if outcome == AttemptOutcome::Delivered {
        "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND $2::bigint IS NOT NULL"
    } else {
        "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1"
    };
    sqlx::query(streak)
        .bind(d.endpoint_id.to_string())
        .bind(micros(a.at))
        .execute(c)
        .await
        .map_err(map)?;
    Ok(())
}

pub async fn deliveries(
    c: &mut PgConnection,
    endpoint: WebhookId,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<WebhookDelivery>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE endpoint_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
    )))
    .bind(endpoint.to_string())
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(map)?
    .iter()
    .map(delivery_of)
    .collect()
}

pub async fn attempts(c: &mut PgConnection, delivery: i64) -> Result<Vec<DeliveryAttempt>> {
    sqlx::query(
        "SELECT attempt, at, status_code, duration_ms, error FROM webhook_attempts
         WHERE delivery_id = $1 ORDER BY attempt",
    )
    .bind(delivery)
    .fetch_all(c)
    .await
    .map_err(map)?
    .iter()
    .map(|r| {
        Ok(DeliveryAttempt {
            attempt: col::<i32>(r, "attempt")? as u32,
            at: from_micros(col(r, "at")?),
            status_code: col::<Option<i32>>(r, "status_code")?.map(|s| s as u16),
            duration_ms: col::<i64>(r, "duration_ms")? as u64,
            error: col(r, "error")?,
        })
    })
    .collect()
}

pub async fn redeliver(
    c: &mut PgConnection,
    endpoint: WebhookId,
    delivery: i64,
    now: Timestamp,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_deliveries SET status = 'pending', next_at = $3, created_at = $3,
             locked_until = NULL
         WHERE id = $2 AND endpoint_id = $1",
    )
    .bind(endpoint.to_string())
    .bind(delivery)
    .bind(micros(now))
    .execute(c)
    .await
    .map_err(map)?
    .rows_affected()
        > 0)
}
