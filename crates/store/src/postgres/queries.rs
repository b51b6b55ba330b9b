//! Reads on a connection, shared by command transactions and plain reads.

use super::error::{col, map};
use crate::conv::{parse, parse_value};
use crate::list;
use crate::rows::{from_micros, micros};
use crate::{ClaimCursor, ClaimQuery, Comment, Page, ReportEvent, Result, User};
use cpor_domain::claim::{Claim, Event, Status, Thread, Timer, TimerKind};
use cpor_domain::jiff::Timestamp;
use cpor_domain::jiff::civil::Date;
use cpor_domain::keys::{AssociationKey, KeyHolder};
use cpor_domain::reference::{
    Catalog, Location, Organisation, Policy, Product, ProgramMap, Reference, Subscription,
    TenantRecord,
};
use cpor_domain::values::{ClaimId, DomainName, OrgId, OrganisationName, TenantId};
use sqlx::{PgConnection, QueryBuilder};

fn claim_of(state: Option<String>) -> Result<Option<Claim>> {
    state
        .map(|s| serde_json::from_str(&s).map_err(Into::into))
        .transpose()
}

pub async fn claim(c: &mut PgConnection, id: ClaimId, lock: bool) -> Result<Option<Claim>> {
    let sql = if lock {
        "SELECT state FROM claims WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT state FROM claims WHERE id = $1"
    };
    let s: Option<String> = sqlx::query_scalar(sql)
        .bind(id.to_string())
        .fetch_optional(c)
        .await
        .map_err(map)?;
    claim_of(s)
}

pub async fn claim_by_consent(c: &mut PgConnection, hash: &str) -> Result<Option<Claim>> {
    let s: Option<String> =
        sqlx::query_scalar("SELECT state FROM claims WHERE consent_token_hash = $1")
            .bind(hash)
            .fetch_optional(c)
            .await
            .map_err(map)?;
    claim_of(s)
}

pub async fn events(
    c: &mut PgConnection,
    id: ClaimId,
    after_seq: u64,
    limit: u32,
) -> Result<Vec<Event>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT event FROM claim_events WHERE claim_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(id.to_string())
    .bind(after_seq as i64)
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter()
        .map(|s| serde_json::from_str(s).map_err(Into::into))
        .collect()
}

pub async fn organisation(c: &mut PgConnection, id: OrgId) -> Result<Option<Organisation>> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(map)?;
    let Some(name) = name else { return Ok(None) };
    let rows = sqlx::query("SELECT mpn_id, name FROM locations WHERE org_id = $1 ORDER BY mpn_id")
        .bind(id.to_string())
        .fetch_all(&mut *c)
        .await
        .map_err(map)?;
    let mut locations = Vec::new();
    for r in rows {
        locations.push(Location {
            mpn_id: parse_value(&col::<String>(&r, "mpn_id")?)?,
            name: col(&r, "name")?,
        });
    }
    Ok(Some(Organisation {
        id,
        name: parse_value::<OrganisationName>(&name)?,
        locations,
    }))
}

pub async fn tenant(c: &mut PgConnection, id: TenantId) -> Result<Option<TenantRecord>> {
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM tenants WHERE tenant_id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(map)?;
    if exists.is_none() {
        return Ok(None);
    }
    let domains: Vec<String> = sqlx::query_scalar(
        "SELECT domain FROM tenant_domains WHERE tenant_id = $1 ORDER BY domain",
    )
    .bind(id.to_string())
    .fetch_all(&mut *c)
    .await
    .map_err(map)?;
    let rows = sqlx::query(
        "SELECT subscription_id, product, state, channel, starts_on, ends_on FROM subscriptions
         WHERE tenant_id = $1 ORDER BY subscription_id",
    )
    .bind(id.to_string())
    .fetch_all(&mut *c)
    .await
    .map_err(map)?;
    let mut subscriptions = Vec::new();
    for r in rows {
        subscriptions.push(Subscription {
            id: parse_value(&col::<String>(&r, "subscription_id")?)?,
            product: parse_value(&col::<String>(&r, "product")?)?,
            state: parse_value(&col::<String>(&r, "state")?)?,
            channel: parse_value(&col::<String>(&r, "channel")?)?,
            starts_on: parse("date", &col::<String>(&r, "starts_on")?)?,
            ends_on: col::<Option<String>>(&r, "ends_on")?
                .map(|e| parse("date", &e))
                .transpose()?,
        });
    }
    Ok(Some(TenantRecord {
        tenant_id: id,
        domains: domains
            .iter()
            .map(|d| parse_value::<DomainName>(d))
            .collect::<Result<_>>()?,
        subscriptions,
    }))
}

pub async fn holders(c: &mut PgConnection, tenant: TenantId) -> Result<Vec<KeyHolder>> {
    let rows =
        sqlx::query("SELECT key_json, claim_id, org_id FROM association_keys WHERE tenant_id = $1")
            .bind(tenant.to_string())
            .fetch_all(c)
            .await
            .map_err(map)?;
    rows.iter().map(holder_of).collect()
}

fn holder_of(r: &sqlx::postgres::PgRow) -> Result<KeyHolder> {
    Ok(KeyHolder {
        key: serde_json::from_str(&col::<String>(r, "key_json")?)?,
        claim_id: parse("claim id", &col::<String>(r, "claim_id")?)?,
        org_id: parse("organisation id", &col::<String>(r, "org_id")?)?,
    })
}

pub async fn key_holder(c: &mut PgConnection, key: &AssociationKey) -> Result<Option<KeyHolder>> {
    let r = sqlx::query("SELECT key_json, claim_id, org_id FROM association_keys WHERE key = $1")
        .bind(key.as_string())
        .fetch_optional(c)
        .await
        .map_err(map)?;
    r.as_ref().map(holder_of).transpose()
}

/// A page of claims in the query's order (see [`crate::list`]).
pub async fn claims(c: &mut PgConnection, q: &ClaimQuery) -> Result<Page<Claim, ClaimCursor>> {
    let mut b: QueryBuilder<sqlx::Postgres> = QueryBuilder::new("");
    for piece in list::claims_statement(q, &list::POSTGRES)? {
        match piece {
            list::Piece::Sql(s) => {
                b.push(s);
            }
            list::Piece::Text(v) => {
                b.push_bind(v);
            }
            list::Piece::Int(v) => {
                b.push_bind(v);
            }
        }
    }
    let rows = b.build().fetch_all(c).await.map_err(map)?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok(list::Row {
                state: col(r, "state")?,
                updated_at: col(r, "updated_at")?,
                name_key: col(r, "name_key")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    list::page_of(rows, q)
}

/// Claims per status, every status listed, in [`Status::ALL`] order.
pub async fn claim_counts(c: &mut PgConnection, org: Option<OrgId>) -> Result<Vec<(Status, u64)>> {
    // Two statements, so that each counts on its own index (claims_org_status, claims_status).
    let rows = match org {
        Some(org) => {
            sqlx::query(
                "SELECT status, count(*) AS n FROM claims WHERE org_id = $1 GROUP BY status",
            )
            .bind(org.to_string())
            .fetch_all(c)
            .await
        }
        None => {
            sqlx::query("SELECT status, count(*) AS n FROM claims GROUP BY status")
                .fetch_all(c)
                .await
        }
    }
    .map_err(map)?;
    let found = rows
        .iter()
        .map(|r| {
            Ok((
                parse_value::<Status>(&col::<String>(r, "status")?)?,
                col::<i64>(r, "n")?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(list::counts(found))
}

pub async fn review_queue(
    c: &mut PgConnection,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    due_queue(c, Queue::Review, after, limit).await
}

pub async fn dispute_queue(
    c: &mut PgConnection,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    due_queue(c, Queue::Disputes, after, limit).await
}

/// The queues of claims by a due time: the review queue and support's disputes queue.
#[derive(Debug, Clone, Copy)]
enum Queue {
    Review,
    Disputes,
}

/// A queue of claims by a due-time column of theirs, oldest due first, then by id.
async fn due_queue(
    c: &mut PgConnection,
    queue: Queue,
    after: Option<(Timestamp, ClaimId)>,
    limit: u32,
) -> Result<Page<Claim, (Timestamp, ClaimId)>> {
    let (due, id) = match after {
        Some((t, id)) => (micros(t), id.to_string()),
        None => (i64::MIN, String::new()),
    };
    let sql = match queue {
        Queue::Review => {
            "SELECT state FROM claims WHERE queue_due IS NOT NULL AND (queue_due, id) > ($1, $2)
             ORDER BY queue_due, id LIMIT $3"
        }
        Queue::Disputes => {
            "SELECT state FROM claims WHERE dispute_due IS NOT NULL AND (dispute_due, id) > ($1, $2)
             ORDER BY dispute_due, id LIMIT $3"
        }
    };
    let mut states: Vec<String> = sqlx::query_scalar(sql)
        .bind(due)
        .bind(id)
        .bind(i64::from(limit) + 1)
        .fetch_all(c)
        .await
        .map_err(map)?;
    let more = states.len() > limit as usize;
    states.truncate(limit as usize);
    let items: Vec<Claim> = states
        .iter()
        .map(|s| serde_json::from_str(s))
        .collect::<std::result::Result<_, _>>()?;
    let due_of = match queue {
        Queue::Review => crate::rows::queue_due,
        Queue::Disputes => crate::rows::dispute_due,
    };
    let next = if more {
        items.last().and_then(|c| due_of(c).map(|d| (d, c.id)))
    } else {
        None
    };
    Ok(Page { items, next })
}

/// The events of a report (see [`crate::Store::report_events`]). Claim ids compare byte
/// by byte (`COLLATE "C"`), as on SQLite and as their times sort.
pub async fn report_events(
    c: &mut PgConnection,
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
    let rows = sqlx::query(
        r#"SELECT e.claim_id, c.org_id, e.seq, e.at, e.event
           FROM claim_events e JOIN claims c ON c.id = e.claim_id COLLATE "C"
           WHERE e.at >= $1 AND e.at < $2 AND ($3::text IS NULL OR c.org_id = $3)
             AND (e.at, e.claim_id COLLATE "C", e.seq) > ($4, $5, $6)
           ORDER BY e.at, e.claim_id COLLATE "C", e.seq LIMIT $7"#,
    )
    .bind(micros(from))
    .bind(micros(to))
    .bind(org.map(|o| o.to_string()))
    .bind(at)
    .bind(id)
    .bind(seq)
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(map)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(ReportEvent {
            claim_id: parse("claim id", &col::<String>(&r, "claim_id")?)?,
            org_id: parse("organisation id", &col::<String>(&r, "org_id")?)?,
            seq: col::<i64>(&r, "seq")? as u64,
            at: from_micros(col(&r, "at")?),
            event: serde_json::from_str(&col::<String>(&r, "event")?)?,
        });
    }
    Ok(out)
}

pub async fn comments(
    c: &mut PgConnection,
    id: ClaimId,
    thread: Option<Thread>,
    after_seq: u64,
    limit: u32,
) -> Result<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT id, thread, seq, at, author, body FROM comments
         WHERE claim_id = $1 AND seq > $2 AND ($3::text IS NULL OR thread = $3) ORDER BY seq LIMIT $4",
    )
    .bind(id.to_string())
    .bind(after_seq as i64)
    .bind(thread.map(|t| t.as_str()))
    .bind(i64::from(limit))
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter()
        .map(|r| {
            Ok(Comment {
                id: parse("comment id", &col::<String>(r, "id")?)?,
                claim_id: id,
                thread: parse_value(&col::<String>(r, "thread")?)?,
                seq: col::<i64>(r, "seq")? as u64,
                at: from_micros(col(r, "at")?),
                author: serde_json::from_str(&col::<String>(r, "author")?)?,
                body: parse_value(&col::<String>(r, "body")?)?,
            })
        })
        .collect()
}

pub fn user_of(r: &sqlx::postgres::PgRow) -> Result<User> {
    Ok(User {
        id: parse("user id", &col::<String>(r, "id")?)?,
        org_id: col::<Option<String>>(r, "org_id")?
            .map(|o| parse("organisation id", &o))
            .transpose()?,
        email: parse_value(&col::<String>(r, "email")?)?,
        name: col(r, "name")?,
        role: parse_value(&col::<String>(r, "role")?)?,
        created_at: from_micros(col(r, "created_at")?),
    })
}

pub async fn users(c: &mut PgConnection, org: Option<OrgId>) -> Result<Vec<User>> {
    let rows = sqlx::query(
        "SELECT id, org_id, email, name, role, created_at FROM users
         WHERE ($1::text IS NULL AND org_id IS NULL) OR org_id = $1 ORDER BY lower(email)",
    )
    .bind(org.map(|o| o.to_string()))
    .fetch_all(c)
    .await
    .map_err(map)?;
    rows.iter().map(user_of).collect()
}

pub async fn pending_timers(c: &mut PgConnection, id: ClaimId) -> Result<Vec<Timer>> {
    let rows = sqlx::query(
        "SELECT timer, due_at FROM jobs WHERE claim_id = $1 AND kind = 'timer' AND done_at IS NULL",
    )
    .bind(id.to_string())
    .fetch_all(c)
    .await
    .map_err(map)?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(Timer {
                kind: parse_value::<TimerKind>(&col::<String>(r, "timer")?)?,
                due: from_micros(col(r, "due_at")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort();
    Ok(out)
}

pub async fn ref_version(c: &mut PgConnection) -> Result<i64> {
    let v: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'ref_version'")
        .fetch_one(c)
        .await
        .map_err(map)?;
    Ok(v.parse().unwrap_or(0))
}

pub async fn reference(c: &mut PgConnection) -> Result<Reference> {
    let rows = sqlx::query(
        "SELECT id, name, solution_area, dynamics_365, retired FROM catalog ORDER BY position, id",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(map)?;
    let mut products = Vec::new();
    for r in rows {
        products.push(Product {
            id: parse_value(&col::<String>(&r, "id")?)?,
            name: col(&r, "name")?,
            solution_area: parse_value(&col::<String>(&r, "solution_area")?)?,
            dynamics_365: col(&r, "dynamics_365")?,
            retired: col(&r, "retired")?,
        });
    }
    let setting = |v: Option<String>| v;
    let policy: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'policy'")
            .fetch_optional(&mut *c)
            .await
            .map_err(map)?;
    let programs: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'programs'")
            .fetch_optional(&mut *c)
            .await
            .map_err(map)?;
    let policy: Policy = setting(policy)
        .map(|s| serde_json::from_str(&s))
        .transpose()?
        .unwrap_or_default();
    let programs: ProgramMap = programs
        .map(|s| serde_json::from_str(&s))
        .transpose()?
        .unwrap_or_default();
    let holidays = holidays(c).await?.into_iter().map(|(d, _)| d);
    Reference::new(Catalog::new(products), programs, policy, holidays)
        .map_err(|e| crate::StoreError::internal_msg(format!("stored policy: {e}")))
}

pub async fn holidays(c: &mut PgConnection) -> Result<Vec<(Date, Option<String>)>> {
    let rows = sqlx::query("SELECT date, name FROM holidays ORDER BY date")
        .fetch_all(c)
        .await
        .map_err(map)?;
    rows.iter()
        .map(|r| {
            Ok((
                parse("holiday", &col::<String>(r, "date")?)?,
                col::<Option<String>>(r, "name")?,
            ))
        })
        .collect()
}
