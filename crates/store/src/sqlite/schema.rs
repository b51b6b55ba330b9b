//! Migrations, applied at start-up in one transaction each; `PRAGMA user_version` holds
//! the number of the last one applied.

use crate::Result;
use cpor_domain::reference::Catalog;
use rusqlite::{Connection, params};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_etag.sql"),
    include_str!("../../migrations/sqlite/0003_parked_jobs.sql"),
    include_str!("../../migrations/sqlite/0004_web_sign_in.sql"),
    include_str!("../../migrations/sqlite/0005_claim_lists.sql"),
    include_str!("../../migrations/sqlite/0006_program_administration.sql"),
    include_str!("../../migrations/sqlite/0007_dispute_queue.sql"),
    include_str!("../../migrations/sqlite/0008_event_time.sql"),
    include_str!("../../migrations/sqlite/0009_organisation_language.sql"),
    include_str!("../../migrations/sqlite/0010_eligibility.sql"),
    include_str!("../../migrations/sqlite/0011_webhooks.sql"),
    include_str!("../../migrations/sqlite/0012_digest.sql"),
    include_str!("../../migrations/sqlite/0013_findings.sql"),
];
/// The migration that adds `claims.name_key`, which [`fill_name_keys`] completes.
const NAME_KEY_MIGRATION: usize = 5;
/// The migration that adds `claims.dispute_due`, which [`fill_dispute_dues`] completes.
const DISPUTE_DUE_MIGRATION: usize = 7;
/// The migration that adds the eligibility feed, which [`fill_eligibility`] completes.
const ELIGIBILITY_MIGRATION: usize = 10;

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let applied: usize =
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == NAME_KEY_MIGRATION {
            fill_name_keys(&tx)?;
        }
        if i + 1 == DISPUTE_DUE_MIGRATION {
            fill_dispute_dues(&tx)?;
        }
        if i + 1 == ELIGIBILITY_MIGRATION {
            fill_eligibility(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
        tracing::info!(migration = i + 1, "applied SQLite migration");
    }
    seed(conn)
}

/// The name keys SQL `lower()` cannot make (names with other than ASCII characters).
fn fill_name_keys(conn: &Connection) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT id, name FROM claims WHERE length(CAST(name AS BLOB)) <> length(name)")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>("id")?, r.get::<_, String>("name")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = conn.prepare("UPDATE claims SET name_key = ?2 WHERE id = ?1")?;
    for (id, name) in rows {
        update.execute(params![id, crate::name_key(&name)])?;
    }
    Ok(())
}

/// The disputes queue's column of the claims that have a dispute, as their row would
/// have it ([`crate::rows::dispute_due`]).
fn fill_dispute_dues(conn: &Connection) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT id, state FROM claims WHERE json_array_length(state, '$.disputes') > 0")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>("id")?, r.get::<_, String>("state")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = conn.prepare("UPDATE claims SET dispute_due = ?2 WHERE id = ?1")?;
    for (id, state) in rows {
        let claim: cpor_domain::claim::Claim = serde_json::from_str(&state)?;
        update.execute(params![
            id,
            crate::rows::dispute_due(&claim).map(crate::rows::micros)
        ])?;
    }
    Ok(())
}

/// The feed and periods of the associations that counted before the feed existed, from
/// their histories, in the order of their claims.
fn fill_eligibility(conn: &Connection) -> Result<()> {
    let programs = super::reference::programs(conn)?;
    let ids = conn
        .prepare("SELECT id FROM claims WHERE phase IN ('active', 'ended', 'expired') ORDER BY id")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in ids {
        let id = crate::conv::parse("claim id", &id)?;
        let events = super::queries::events(conn, id, 0, u32::MAX)?;
        let changes = cpor_domain::eligibility::eligibility_changes(None, &events, &programs);
        super::eligibility::record(conn, &changes)?;
    }
    Ok(())
}

/// Seeds the catalog (docs/product.md, reference data) into an empty database.
fn seed(conn: &mut Connection) -> Result<()> {
    let count: i64 = conn.query_row("SELECT count(*) FROM catalog", [], |r| r.get(0))?;
    if count > 0 {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, p) in Catalog::default().products().iter().enumerate() {
        tx.execute(
            "INSERT INTO catalog (id, name, solution_area, dynamics_365, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![p.id.as_str(), p.name, p.solution_area.as_str(), p.dynamics_365, i as i64],
        )?;
    }
    tx.commit()?;
    Ok(())
}
