//! Reads on a connection, shared by the writer (inside a command's transaction) and the
//! read pool.

use crate::conv::{parse, parse_value};
use crate::list;
use crate::rows::{from_micros, micros};
use crate::{
    ClaimCursor, ClaimQuery, Comment, FailingJob, Job, JobKind, Page, ReportEvent, Result, User,
};
use cpor_domain::claim::{Claim, Event, Status, Thread, Timer, TimerKind};
use cpor_domain::jiff::Timestamp;
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::reference::{Location, Organisation, Subscription, TenantRecord};
use cpor_domain::values::{ClaimId, DomainName, OrgId, OrganisationName, TenantId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

pub fn claim(conn: &Connection, id: ClaimId) -> Result<Option<Claim>> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM claims WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    Ok(match state {
        Some(s) => Some(serde_json::from_str(&s)?),
        None => None,
    })
}

pub fn claim_by_consent(conn: &Connection, hash: &str) -> Result<Option<Claim>> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM claims WHERE consent_token_hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?;
    Ok(match state {
        Some(s) => Some(serde_json::from_str(&s)?),
        None => None,
    })
}

pub fn events(conn: &Connection, id: ClaimId, after_seq: u64, limit: u32) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT event FROM claim_events WHERE claim_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(
        params![id.to_string(), after_seq as i64, limit as i64],
        |r| r.get::<_, String>(0),
    )?;
    let mut out = Vec::new();
    for r in rows {
        out.push(serde_json::from_str(&r?)?);
    }
    Ok(out)
}

pub fn organisation(conn: &Connection, id: OrgId) -> Result<Option<Organisation>> {
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM organisations WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(name) = name else { return Ok(None) };
    let mut stmt = conn
        .prepare_cached("SELECT mpn_id, name FROM locations WHERE org_id = ?1 ORDER BY mpn_id")?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>("mpn_id")?,
            r.get::<_, Option<String>>("name")?,
        ))
    })?;
    let mut locations = Vec::new();
    for row in rows {
        let (mpn, lname) = row?;
        locations.push(Location {
            mpn_id: parse_value(&mpn)?,
            name: lname,
        });
    }
    Ok(Some(Organisation {
        id,
        name: parse_value::<OrganisationName>(&name)?,
        locations,
    }))
}

pub fn organisation_ids(conn: &Connection) -> Result<Vec<OrgId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM organisations ORDER BY name, id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|r| parse("organisation id", &r?)).collect()
}

pub fn tenant(conn: &Connection, id: TenantId) -> Result<Option<TenantRecord>> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM tenants WHERE tenant_id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut domains = Vec::new();
    let mut stmt = conn
        .prepare_cached("SELECT domain FROM tenant_domains WHERE tenant_id = ?1 ORDER BY domain")?;
    for d in stmt.query_map([id.to_string()], |r| r.get::<_, String>(0))? {
        domains.push(parse_value::<DomainName>(&d?)?);
    }
    let mut subscriptions = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT subscription_id, product, state, channel, starts_on, ends_on FROM subscriptions
         WHERE tenant_id = ?1 ORDER BY subscription_id",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((
            r.get::<_, String>("subscription_id")?,
            r.get::<_, String>("product")?,
            r.get::<_, String>("state")?,
            r.get::<_, String>("channel")?,
            r.get::<_, String>("starts_on")?,
            r.get::<_, Option<String>>("ends_on")?,
        ))
    })?;
    for row in rows {
        let (sid, product, state, channel, starts, ends) = row?;
        subscriptions.push(Subscription {
            id: parse_value(&sid)?,
            product: parse_value(&product)?,
            state: parse_value(&state)?,
            channel: parse_value(&channel)?,
            starts_on: parse("date", &starts)?,
            ends_on: ends.map(|e| parse("date", &e)).transpose()?,
        });
    }
    Ok(Some(TenantRecord {
        tenant_id: id,
        domains,
        subscriptions,
    }))
}

pub fn tenant_of_domain(conn: &Connection, domain: &DomainName) -> Result<Option<TenantId>> {
    let t: Option<String> = conn
        .prepare_cached("SELECT tenant_id FROM tenant_domains WHERE domain = ?1")?
        .query_row([domain.as_str()], |r| r.get(0))
        .optional()?;
    t.map(|t| parse_value(&t)).transpose()
}

fn holder_of_row(key_json: &str, claim: &str, org: &str) -> Result<KeyHolder> {
    Ok(KeyHolder {
        key: serde_json::from_str(key_json)?,
        claim_id: parse("claim id", claim)?,
        org_id: parse("organisation id", org)?,
    })
}

pub fn holders(conn: &Connection, tenant: TenantId) -> Result<Vec<KeyHolder>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key_json, claim_id, org_id FROM association_keys WHERE tenant_id = ?1",
    )?;
    let rows = stmt.query_map([tenant.to_string()], |r| {
        Ok((
            r.get::<_, String>("key_json")?,
            r.get::<_, String>("claim_id")?,
            r.get::<_, String>("org_id")?,
        ))
    })?;
    rows.map(|r| {
        let (k, c, o) = r?;
        holder_of_row(&k, &c, &o)
    })
    .collect()
}

pub fn key_holder(conn: &Connection, key: &AssociationKey) -> Result<Option<KeyHolder>> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached("SELECT key_json, claim_id, org_id FROM association_keys WHERE key = ?1")?
        .query_row([key.as_string()], |r| {
            Ok((r.get("key_json")?, r.get("claim_id")?, r.get("org_id")?))
        })
        .optional()?;
    row.map(|(k, c, o)| holder_of_row(&k, &c, &o)).transpose()
}

fn claims_of(rows: Vec<String>) -> Result<Vec<Claim>> {
    rows.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
}

/// A page of claims in the query's order (see [`crate::list`]).
pub fn claims(conn: &Connection, q: &ClaimQuery) -> Result<Page<Claim, ClaimCursor>> {
    let mut sql = String::new();
    let mut args: Vec<Value> = Vec::new();
    for piece in list::claims_statement(q, &list::SQLITE)? {
        match piece {
            list::Piece::Sql(s) => sql.push_str(&s),
            list::Piece::Text(v) => {
                sql.push('?');
                args.push(Value::Text(v));
            }
            list::Piece::Int(v) => {
                sql.push('?');
                args.push(Value::Integer(v));
            }
        }
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok(list::Row {
            state: r.get("state")?,
            updated_at: r.get("updated_at")?,
            name_key: r.get("name_key")?,
        })
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    list::page_of(rows, q)
}

/// Claims per status, every status listed, in [`Status::ALL`] order.
pub fn claim_counts(conn: &Connection, org: Option<OrgId>) -> Result<Vec<(Status, u64)>> {
    // Two statements, so that each counts on its own index (claims_org_status, claims_status).
    let row = |r: &rusqlite::Row| Ok((r.get::<_, String>("status")?, r.get::<_, i64>("n")?));
    let rows = match org {
        Some(org) => conn
            .prepare_cached(
                "SELECT status, count(*) AS n FROM claims WHERE org_id = ?1 GROUP BY status",
            )?
            .query_map([org.to_string()], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => conn
            .prepare_cached("SELECT status, count(*) AS n FROM claims GROUP BY status")?
            .query_map([], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    let mut found = Vec::new();
    for (status, n) in rows {
        found.push((parse_value::<Status>(&status)?, n));
    }
    Ok(list::counts(found))
}

pub fn review_queue(
    conn: &Connection,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    due_queue(conn, Queue::Review, after, limit)
}

pub fn dispute_queue(
    conn: &Connection,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    due_queue(conn, Queue::Disputes, after, limit)
}

/// A queue of claims by a due-time column of theirs, oldest due first, then by id.
fn due_queue(
    conn: &Connection,
    queue: Queue,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    let (due, id) = match after {
        Some((t, id)) => (micros(t), id.to_string()),
        None => (i64::MIN, String::new()),
    };
    let mut stmt = conn.prepare_cached(match queue {
        Queue::Review => {
            "SELECT state FROM claims WHERE queue_due IS NOT NULL AND (queue_due, id) > (?1, ?2)
             ORDER BY queue_due, id LIMIT ?3"
        }
        Queue::Disputes => {
            "SELECT state FROM claims WHERE dispute_due IS NOT NULL AND (dispute_due, id) > (?1, ?2)
             ORDER BY dispute_due, id LIMIT ?3"
        }
    })?;
    let rows = stmt.query_map(params![due, id, i64::from(limit) + 1], |r| {
        r.get::<_, String>(0)
    })?;
    let mut states = rows.collect::<rusqlite::Result<Vec<String>>>()?;
    let more = states.len() > limit as usize;
    states.truncate(limit as usize);
    let items = claims_of(states)?;
    let next = if more {
        items.last().and_then(|c| queue.due(c).map(|d| (d, c.id)))
    } else {
        None
    };
    Ok(Page { items, next })
}

/// The queues of claims by a due time: the review queue and support's disputes queue.
#[derive(Debug, Clone, Copy)]
enum Queue {
    Review,
    Disputes,
}

impl Queue {
    /// The due time a claim sorts on in this queue (see [`crate::rows::ClaimRow`]).
    fn due(self, c: &Claim) -> Option<Timestamp> {
        match self {
            Queue::Review => crate::rows::queue_due(c),
            Queue::Disputes => crate::rows::dispute_due(c),
        }
    }
}

/// The events of a report (see [`crate::Store::report_events`]).
pub fn report_events(
    conn: &Connection,
    from: Timestamp,
    to: Timestamp,
    org: Option<OrgId>,
    after: Option<(Timestamp, ClaimId, u64)>,
    limit: u32,
) -> Result<Vec<ReportEvent>> {
    let (at, id, seq) = match after {
        Some((t, id, seq)) => (micros(t), id.to_string(), seq as i64),
        None => (i64::MIN, String::new(), 0),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT e.claim_id, c.org_id, e.seq, e.at, e.event
         FROM claim_events e JOIN claims c ON c.id = e.claim_id
         WHERE e.at >= ?1 AND e.at < ?2 AND (?3 IS NULL OR c.org_id = ?3)
           AND (e.at, e.claim_id, e.seq) > (?4, ?5, ?6)
         ORDER BY e.at, e.claim_id, e.seq LIMIT ?7",
    )?;
    let rows = stmt.query_map(
        params![
            micros(from),
            micros(to),
            org.map(|o| o.to_string()),
            at,
            id,
            seq,
            i64::from(limit)
        ],
        |r| {
            Ok((
                r.get::<_, String>("claim_id")?,
                r.get::<_, String>("org_id")?,
                r.get::<_, i64>("seq")?,
                r.get::<_, i64>("at")?,
                r.get::<_, String>("event")?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (claim, org, seq, at, event) = row?;
        out.push(ReportEvent {
            claim_id: parse("claim id", &claim)?,
            org_id: parse("organisation id", &org)?,
            seq: seq as u64,
            at: from_micros(at),
            event: serde_json::from_str(&event)?,
        });
    }
    Ok(out)
}

pub fn comments(
    conn: &Connection,
    id: ClaimId,
    thread: Option<Thread>,
    after_seq: u64,
    limit: u32,
) -> Result<Vec<Comment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, thread, seq, at, author, body FROM comments
         WHERE claim_id = ?1 AND seq > ?2 AND (?3 IS NULL OR thread = ?3) ORDER BY seq LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![
            id.to_string(),
            after_seq as i64,
            thread.map(|t| t.as_str()),
            limit as i64
        ],
        |r| {
            Ok((
                r.get::<_, String>("id")?,
                r.get::<_, String>("thread")?,
                r.get::<_, i64>("seq")?,
                r.get::<_, i64>("at")?,
                r.get::<_, String>("author")?,
                r.get::<_, String>("body")?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (cid, thread, seq, at, author, body) = row?;
        out.push(Comment {
            id: parse("comment id", &cid)?,
            claim_id: id,
            thread: parse_value(&thread)?,
            seq: seq as u64,
            at: from_micros(at),
            author: serde_json::from_str(&author)?,
            body: parse_value(&body)?,
        });
    }
    Ok(out)
}

pub fn user_from_row(
    r: &rusqlite::Row,
) -> rusqlite::Result<(String, Option<String>, String, String, String, i64)> {
    Ok((
        r.get("id")?,
        r.get("org_id")?,
        r.get("email")?,
        r.get("name")?,
        r.get("role")?,
        r.get("created_at")?,
    ))
}

pub fn user_of(row: (String, Option<String>, String, String, String, i64)) -> Result<User> {
    let (id, org, email, name, role, created) = row;
    Ok(User {
        id: parse("user id", &id)?,
        org_id: org.map(|o| parse("organisation id", &o)).transpose()?,
        email: parse_value(&email)?,
        name,
        role: parse_value(&role)?,
        created_at: from_micros(created),
    })
}

pub fn users(conn: &Connection, org: Option<OrgId>) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, org_id, email, name, role, created_at FROM users
         WHERE (?1 IS NULL AND org_id IS NULL) OR org_id = ?1 ORDER BY email",
    )?;
    let rows = stmt.query_map([org.map(|o| o.to_string())], user_from_row)?;
    rows.map(|r| user_of(r?)).collect()
}

pub fn pending_timers(conn: &Connection, id: ClaimId) -> Result<Vec<Timer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT timer, due_at FROM jobs WHERE claim_id = ?1 AND kind = 'timer' AND done_at IS NULL ORDER BY due_at, timer",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((r.get::<_, String>("timer")?, r.get::<_, i64>("due_at")?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, due) = row?;
        out.push(Timer {
            kind: parse_value::<TimerKind>(&kind)?,
            due: from_micros(due),
        });
    }
    out.sort();
    Ok(out)
}

pub fn job_of(id: i64, payload: &str, due: i64, attempts: i64) -> Result<Job> {
    Ok(Job {
        id,
        kind: serde_json::from_str::<JobKind>(payload)?,
        due_at: from_micros(due),
        attempts: attempts as u32,
    })
}

pub fn failing_jobs(conn: &Connection, after: Option<i64>, limit: u32) -> Result<Vec<FailingJob>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, claim_id, attempts, last_error, due_at, parked FROM jobs
         WHERE done_at IS NULL AND (attempts > 0 OR parked = 1) AND id > ?1
         ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after.unwrap_or(0), i64::from(limit)], |r| {
        Ok(FailingJob {
            id: r.get("id")?,
            kind: r.get("kind")?,
            claim_id: r.get("claim_id")?,
            attempts: r.get::<_, i64>("attempts")?.clamp(0, i64::from(u32::MAX)) as u32,
            last_error: r.get("last_error")?,
            due_at: from_micros(r.get("due_at")?),
            parked: r.get("parked")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
