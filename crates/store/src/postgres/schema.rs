//! Migrations, applied under an advisory lock so that several processes starting at
//! once apply each exactly once.

use super::error::{col, map};
use crate::Result;
use cpor_domain::reference::Catalog;
use sqlx::PgPool;

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_etag.sql"),
    include_str!("../../migrations/postgres/0003_parked_jobs.sql"),
    include_str!("../../migrations/postgres/0004_web_sign_in.sql"),
    include_str!("../../migrations/postgres/0005_claim_lists.sql"),
    include_str!("../../migrations/postgres/0006_program_administration.sql"),
    include_str!("../../migrations/postgres/0007_dispute_queue.sql"),
    include_str!("../../migrations/postgres/0008_event_time.sql"),
    include_str!("../../migrations/postgres/0009_organisation_language.sql"),
    include_str!("../../migrations/postgres/0010_eligibility.sql"),
    include_str!("../../migrations/postgres/0011_webhooks.sql"),
    include_str!("../../migrations/postgres/0012_digest.sql"),
    include_str!("../../migrations/postgres/0013_findings.sql"),
];
/// The migration that adds `claims.name_key`, which [`fill_name_keys`] completes.
const NAME_KEY_MIGRATION: usize = 5;
/// The migration that adds `claims.dispute_due`, which [`fill_dispute_dues`] completes.
const DISPUTE_DUE_MIGRATION: usize = 7;
/// The migration that adds the eligibility feed, which [`fill_eligibility`] completes.
const ELIGIBILITY_MIGRATION: usize = 10;
/// An arbitrary constant naming cpor's migration lock.
const LOCK: i64 = 0x0C90_2026;

pub async fn migrate(pool: &PgPool) -> Result<()> {
    let mut conn = pool.acquire().await.map_err(map)?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(LOCK)
        .execute(&mut *conn)
        .await
        .map_err(map)?;
    let result = apply(&mut conn).await;
    let unlock = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(LOCK)
        .execute(&mut *conn)
        .await
        .map_err(map);
    result.and(unlock.map(|_| ()))
}

async fn apply(conn: &mut sqlx::PgConnection) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .execute(&mut *conn)
    .await
    .map_err(map)?;
    let applied: Option<i32> = sqlx::query_scalar("SELECT max(version) FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(map)?;
    let applied = applied.unwrap_or(0) as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(map)?;
        sqlx::raw_sql(*sql).execute(&mut *tx).await.map_err(map)?;
        if i + 1 == NAME_KEY_MIGRATION {
            fill_name_keys(&mut tx).await?;
        }
        if i + 1 == DISPUTE_DUE_MIGRATION {
            fill_dispute_dues(&mut tx).await?;
        }
        if i + 1 == ELIGIBILITY_MIGRATION {
            fill_eligibility(&mut tx).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind((i + 1) as i32)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
        tx.commit().await.map_err(map)?;
        tracing::info!(migration = i + 1, "applied PostgreSQL migration");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog")
        .fetch_one(&mut *conn)
        .await
        .map_err(map)?;
    if count == 0 {
        for (i, p) in Catalog::default().products().iter().enumerate() {
            sqlx::query(
                "INSERT INTO catalog (id, name, solution_area, dynamics_365, position) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(p.id.as_str())
            .bind(&p.name)
            .bind(p.solution_area.as_str())
            .bind(p.dynamics_365)
            .bind(i as i64)
            .execute(&mut *conn)
            .await
            .map_err(map)?;
        }
    }
    Ok(())
}

/// The name keys SQL `lower()` under the byte-order collation cannot make (names with
/// other than ASCII characters).
async fn fill_name_keys(conn: &mut sqlx::PgConnection) -> Result<()> {
    let rows =
        sqlx::query("SELECT id, name FROM claims WHERE octet_length(name) <> char_length(name)")
            .fetch_all(&mut *conn)
            .await
            .map_err(map)?;
    for r in rows {
        let id: String = col(&r, "id")?;
        let name: String = col(&r, "name")?;
        sqlx::query("UPDATE claims SET name_key = $2 WHERE id = $1")
            .bind(id)
            .bind(crate::name_key(&name))
            .execute(&mut *conn)
            .await
            .map_err(map)?;
    }
    Ok(())
}

/// The feed and periods of the associations that counted before the feed existed, from
/// their histories, in the order of their claims.
async fn fill_eligibility(conn: &mut sqlx::PgConnection) -> Result<()> {
    let programs = super::queries::reference(&mut *conn)
        .await?
        .programs
        .clone();
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM claims WHERE phase IN ('active', 'ended', 'expired') ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map)?;
    for id in ids {
        let id = crate::conv::parse("claim id", &id)?;
        let events = super::queries::events(&mut *conn, id, 0, u32::MAX).await?;
        let changes = cpor_domain::eligibility::eligibility_changes(None, &events, &programs);
        if !changes.is_empty() {
            super::eligibility::record(&mut *conn, &changes).await?;
        }
    }
    Ok(())
}

/// The disputes queue's column of the claims that have a dispute, as their row would
/// have it ([`crate::rows::dispute_due`]).
async fn fill_dispute_dues(conn: &mut sqlx::PgConnection) -> Result<()> {
    let rows = sqlx::query(
        "SELECT id, state FROM claims WHERE jsonb_array_length(state::jsonb -> 'disputes') > 0",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map)?;
    for r in rows {
        let id: String = col(&r, "id")?;
        let state: String = col(&r, "state")?;
        let claim: cpor_domain::claim::Claim = serde_json::from_str(&state)?;
        sqlx::query("UPDATE claims SET dispute_due = $2 WHERE id = $1")
            .bind(id)
            .bind(crate::rows::dispute_due(&claim).map(crate::rows::micros))
            .execute(&mut *conn)
            .await
            .map_err(map)?;
    }
    Ok(())
}
