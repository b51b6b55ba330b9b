//! Reading and writing the reference data.

use crate::Result;
use crate::conv::{parse, parse_value};
use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{Catalog, Policy, Product, ProgramMap, Reference, SolutionArea};
use rusqlite::{Connection, OptionalExtension, params};

pub fn load(conn: &Connection) -> Result<Reference> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, solution_area, dynamics_365, retired FROM catalog ORDER BY position, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>("id")?,
            r.get::<_, String>("name")?,
            r.get::<_, String>("solution_area")?,
            r.get::<_, bool>("dynamics_365")?,
            r.get::<_, bool>("retired")?,
        ))
    })?;
    let mut products = Vec::new();
    for row in rows {
        let (id, name, area, d365, retired) = row?;
        products.push(Product {
            id: parse_value(&id)?,
            name,
            solution_area: parse_value::<SolutionArea>(&area)?,
            dynamics_365: d365,
            retired,
        });
    }
    let policy: Policy = setting(conn, "policy")?.unwrap_or_default();
    let programs = programs(conn)?;
    let holidays = holidays(conn)?.into_iter().map(|(d, _)| d);
    Reference::new(Catalog::new(products), programs, policy, holidays)
        .map_err(|e| crate::StoreError::internal_msg(format!("stored policy: {e}")))
}

/// The program map (docs/product.md, reference data).
pub fn programs(conn: &Connection) -> Result<ProgramMap> {
    Ok(setting(conn, "programs")?.unwrap_or_default())
}

fn setting<T: serde::de::DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(match v {
        Some(s) => Some(serde_json::from_str(&s)?),
        None => None,
    })
}

pub fn set_setting<T: serde::Serialize>(conn: &Connection, key: &str, value: &T) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, serde_json::to_string(value)?],
    )?;
    Ok(())
}

pub fn holidays(conn: &Connection) -> Result<Vec<(Date, Option<String>)>> {
    let mut stmt = conn.prepare_cached("SELECT date, name FROM holidays ORDER BY date")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>("date")?,
            r.get::<_, Option<String>>("name")?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (d, n) = row?;
        out.push((parse("holiday", &d)?, n));
    }
    Ok(out)
}

pub fn upsert_product(conn: &Connection, p: &Product) -> Result<()> {
    conn.execute(
        "INSERT INTO catalog (id, name, solution_area, dynamics_365, position, retired)
         VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM catalog), ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, solution_area = excluded.solution_area,
             dynamics_365 = excluded.dynamics_365, retired = excluded.retired",
        params![p.id.as_str(), p.name, p.solution_area.as_str(), p.dynamics_365, p.retired],
    )?;
    Ok(())
}

/// The version of the reference data: every change bumps it (in its own transaction), so
/// a process whose copy is of another version loads it again, whichever process changed it.
pub fn version(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'ref_version'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub fn bump_version(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('ref_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
        [],
    )?;
    Ok(())
}
