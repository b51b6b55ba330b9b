//! The eligibility feed and periods on PostgreSQL. Numbers come from the one row of
//! `eligibility_sequence`, taken last in the command's transaction and locked until its
//! commit, so `seq` follows commit order across processes (see the migration).

use super::error::{col, map};
use crate::conv::{parse, parse_value};
use crate::rows::{from_micros, micros};
use crate::{EligibilityPeriod, PeriodCursor, Result};
use cpor_domain::eligibility::{ChangeKind, EligibilityChange};
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::OrgId;
use sqlx::PgConnection;

/// Moves the periods `changes` change, then numbers and appends them to the feed.
pub async fn record(c: &mut PgConnection, changes: &[EligibilityChange]) -> Result<()> {
    for ch in changes {
        let claim = ch.claim_id.to_string();
        let at = micros(ch.at);
        match ch.kind {
            ChangeKind::Activated => {
                for k in &ch.keys {
                    sqlx::query(
                        "INSERT INTO eligibility_periods (claim_id, key, key_json, org_id, mpn_id, effective_from, effective_to, expires_at)
                         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)
                         ON CONFLICT (claim_id, key) DO UPDATE SET effective_from = excluded.effective_from,
                             effective_to = NULL, expires_at = excluded.expires_at",
                    )
                    .bind(&claim)
                    .bind(k.to_string())
                    .bind(serde_json::to_string(k)?)
                    .bind(ch.org_id.to_string())
                    .bind(ch.mpn_id.as_str())
                    .bind(micros(ch.effective_from.unwrap_or(ch.at)))
                    .bind(ch.expires_at.map(micros))
                    .execute(&mut *c)
                    .await
                    .map_err(map)?;
                }
            }
            ChangeKind::ExpiryPostponed => {
                sqlx::query("UPDATE eligibility_periods SET expires_at = $2 WHERE claim_id = $1 AND effective_to IS NULL")
                    .bind(&claim)
                    .bind(ch.expires_at.map(micros))
                    .execute(&mut *c)
                    .await
                    .map_err(map)?;
            }
            ChangeKind::KeysChanged => {
                let keys: Vec<String> = ch.removed_keys.iter().map(|k| k.to_string()).collect();
                sqlx::query("UPDATE eligibility_periods SET effective_to = $3 WHERE claim_id = $1 AND key = ANY($2) AND effective_to IS NULL")
                    .bind(&claim)
                    .bind(keys)
                    .bind(at)
                    .execute(&mut *c)
                    .await
                    .map_err(map)?;
            }
            ChangeKind::Ended | ChangeKind::Expired | ChangeKind::Superseded => {
                sqlx::query("UPDATE eligibility_periods SET effective_to = $2 WHERE claim_id = $1 AND effective_to IS NULL")
                    .bind(&claim)
                    .bind(at)
                    .execute(&mut *c)
                    .await
                    .map_err(map)?;
            }
        }
    }
    let last: i64 =
        sqlx::query_scalar("UPDATE eligibility_sequence SET last = last + $1 RETURNING last")
            .bind(changes.len() as i64)
            .fetch_one(&mut *c)
            .await
            .map_err(map)?;
    let first = last - changes.len() as i64 + 1;
    for (i, ch) in changes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO eligibility_changes (seq, org_id, claim_id, change) VALUES ($1, $2, $3, $4)",
        )
        .bind(first + i as i64)
        .bind(ch.org_id.to_string())
        .bind(ch.claim_id.to_string())
        .bind(serde_json::to_string(ch)?)
        .execute(&mut *c)
        .await
        .map_err(map)?;
    }
    Ok(())
}

pub async fn changes(
    c: &mut PgConnection,
    after: u64,
    limit: u32,
    org: Option<OrgId>,
) -> Result<Vec<(u64, EligibilityChange)>> {
    let rows = sqlx::query(
        "SELECT seq, change FROM eligibility_changes
         WHERE seq > $1 AND ($2::text IS NULL OR org_id = $2) ORDER BY seq LIMIT $3",
    )
    .bind(after as i64)
    .bind(org.map(|o| o.to_string()))
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter()
        .map(|r| {
            let seq: i64 = col(r, "seq")?;
            Ok((
                seq as u64,
                serde_json::from_str(&col::<String>(r, "change")?)?,
            ))
        })
        .collect()
}

pub async fn eligible_at(
    c: &mut PgConnection,
    at: Timestamp,
    org: Option<OrgId>,
    after: Option<PeriodCursor>,
    limit: u32,
) -> Result<Vec<EligibilityPeriod>> {
    let (after_claim, after_key) = after.map(|(c, k)| (c.to_string(), k)).unwrap_or_default();
    let rows = sqlx::query(
        "SELECT claim_id, key_json, org_id, mpn_id, effective_from, effective_to, expires_at
         FROM eligibility_periods
         WHERE (claim_id, key) > ($1, $2) AND effective_from <= $3
           AND (effective_to IS NULL OR effective_to > $3) AND ($4::text IS NULL OR org_id = $4)
         ORDER BY claim_id, key LIMIT $5",
    )
    .bind(after_claim)
    .bind(after_key)
    .bind(micros(at))
    .bind(org.map(|o| o.to_string()))
    .bind(limit as i64)
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter()
        .map(|r| {
            Ok(EligibilityPeriod {
                claim_id: parse("claim id", &col::<String>(r, "claim_id")?)?,
                key: serde_json::from_str(&col::<String>(r, "key_json")?)?,
                org_id: parse("organisation id", &col::<String>(r, "org_id")?)?,
                mpn_id: parse_value(&col::<String>(r, "mpn_id")?)?,
                effective_from: from_micros(col(r, "effective_from")?),
                effective_to: col::<Option<i64>>(r, "effective_to")?.map(from_micros),
                expires_at: col::<Option<i64>>(r, "expires_at")?.map(from_micros),
            })
        })
        .collect()
}
