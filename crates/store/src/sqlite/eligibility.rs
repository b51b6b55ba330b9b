//! The eligibility feed and periods on SQLite. The single writer commits in `seq`
//! order, so an autoincrement numbers changes in commit order.

use crate::conv::parse;
use crate::rows::{from_micros, micros};
use crate::{EligibilityPeriod, PeriodCursor, Result};
use cpor_domain::eligibility::{ChangeKind, EligibilityChange};
use cpor_domain::jiff::Timestamp;
use cpor_domain::values::OrgId;
use rusqlite::{Connection, params};

/// Appends `changes` to the feed and moves the periods they change.
pub fn record(c: &Connection, changes: &[EligibilityChange]) -> Result<()> {
    for ch in changes {
        let claim = ch.claim_id.to_string();
        c.prepare_cached(
            "INSERT INTO eligibility_changes (org_id, claim_id, change) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![
            ch.org_id.to_string(),
            claim,
            serde_json::to_string(ch)?
        ])?;
        let at = micros(ch.at);
        match ch.kind {
            ChangeKind::Activated => {
                let mut insert = c.prepare_cached(
                    "INSERT INTO eligibility_periods (claim_id, key, key_json, org_id, mpn_id, effective_from, effective_to, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)
                     ON CONFLICT (claim_id, key) DO UPDATE SET effective_from = excluded.effective_from,
                         effective_to = NULL, expires_at = excluded.expires_at",
                )?;
                for k in &ch.keys {
                    insert.execute(params![
                        claim,
                        k.to_string(),
                        serde_json::to_string(k)?,
                        ch.org_id.to_string(),
                        ch.mpn_id.as_str(),
                        micros(ch.effective_from.unwrap_or(ch.at)),
                        ch.expires_at.map(micros)
                    ])?;
                }
            }
            ChangeKind::ExpiryPostponed => {
                c.prepare_cached("UPDATE eligibility_periods SET expires_at = ?2 WHERE claim_id = ?1 AND effective_to IS NULL")?
                    .execute(params![claim, ch.expires_at.map(micros)])?;
            }
            ChangeKind::KeysChanged => {
                let mut end = c.prepare_cached(
                    "UPDATE eligibility_periods SET effective_to = ?3 WHERE claim_id = ?1 AND key = ?2 AND effective_to IS NULL",
                )?;
                for k in &ch.removed_keys {
                    end.execute(params![claim, k.to_string(), at])?;
                }
            }
            ChangeKind::Ended | ChangeKind::Expired | ChangeKind::Superseded => {
                c.prepare_cached("UPDATE eligibility_periods SET effective_to = ?2 WHERE claim_id = ?1 AND effective_to IS NULL")?
                    .execute(params![claim, at])?;
            }
        }
    }
    Ok(())
}

pub fn changes(
    c: &Connection,
    after: u64,
    limit: u32,
    org: Option<OrgId>,
) -> Result<Vec<(u64, EligibilityChange)>> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, change FROM eligibility_changes
         WHERE seq > ?1 AND (?2 IS NULL OR org_id = ?2) ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![after as i64, org.map(|o| o.to_string()), limit],
        |r| Ok((r.get::<_, i64>("seq")?, r.get::<_, String>("change")?)),
    )?;
    let mut out = Vec::new();
    for r in rows {
        let (seq, change) = r?;
        out.push((seq as u64, serde_json::from_str(&change)?));
    }
    Ok(out)
}

pub fn eligible_at(
    c: &Connection,
    at: Timestamp,
    org: Option<OrgId>,
    after: Option<PeriodCursor>,
    limit: u32,
) -> Result<Vec<EligibilityPeriod>> {
    let (after_claim, after_key) = after.map(|(c, k)| (c.to_string(), k)).unwrap_or_default();
    let mut stmt = c.prepare_cached(
        "SELECT claim_id, key_json, org_id, mpn_id, effective_from, effective_to, expires_at
         FROM eligibility_periods
         WHERE (claim_id, key) > (?1, ?2) AND effective_from <= ?3
           AND (effective_to IS NULL OR effective_to > ?3) AND (?4 IS NULL OR org_id = ?4)
         ORDER BY claim_id, key LIMIT ?5",
    )?;
    let mut rows = stmt.query(params![
        after_claim,
        after_key,
        micros(at),
        org.map(|o| o.to_string()),
        limit
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(EligibilityPeriod {
            claim_id: parse("claim id", &r.get::<_, String>("claim_id")?)?,
            key: serde_json::from_str(&r.get::<_, String>("key_json")?)?,
            org_id: parse("organisation id", &r.get::<_, String>("org_id")?)?,
            mpn_id: crate::conv::parse_value(&r.get::<_, String>("mpn_id")?)?,
            effective_from: from_micros(r.get("effective_from")?),
            effective_to: r.get::<_, Option<i64>>("effective_to")?.map(from_micros),
            expires_at: r.get::<_, Option<i64>>("expires_at")?.map(from_micros),
        });
    }
    Ok(out)
}
