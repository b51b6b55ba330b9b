//! The claim list's query, the same on both backends: filters, the order and the keyset
//! position of [`ClaimQuery`] as SQL pieces and arguments, which each backend renders
//! with its own placeholders.
//!
//! Every order has an index ending in `id`, with and without `org_id` (see the
//! migrations), so a page walks the index from its cursor and stops at the limit. The
//! product filter probes a claim's product lines (`claim_products`, by primary key); the
//! subscription search reads their index once for the whole query.

use crate::rows::{from_micros, micros};
use crate::{ClaimCursor, ClaimQuery, ClaimSort, Result};
use cpor_domain::claim::{Claim, Status};
use cpor_domain::values::{Parse, SubscriptionId};

/// A part of the statement: SQL text or an argument.
pub enum Piece {
    Sql(String),
    Text(String),
    Int(i64),
}

/// How a backend spells what differs.
pub struct Dialect {
    /// A case-insensitive `LIKE` with `\` as its escape, the pattern following.
    pub like: &'static str,
    pub escape: &'static str,
}

pub const SQLITE: Dialect = Dialect {
    like: "LIKE",
    escape: " ESCAPE '\\'",
};
pub const POSTGRES: Dialect = Dialect {
    like: "ILIKE",
    escape: "",
};

struct Builder(Vec<Piece>);

impl Builder {
    fn sql(&mut self, s: impl Into<String>) -> &mut Self {
        self.0.push(Piece::Sql(s.into()));
        self
    }
    fn text(&mut self, v: impl Into<String>) -> &mut Self {
        self.0.push(Piece::Text(v.into()));
        self
    }
    fn int(&mut self, v: i64) -> &mut Self {
        self.0.push(Piece::Int(v));
        self
    }
}

/// The shortest start of a subscription ID that the search looks for.
pub const MIN_SUBSCRIPTION_PREFIX: usize = 4;

/// The subscription IDs words may mean, as a range `[from, to)` of canonical IDs: the
/// one ID when they are a GUID in any form, the IDs that start with them when they are
/// at least [`MIN_SUBSCRIPTION_PREFIX`] hexadecimal digits and hyphens, else none.
fn subscription_range(words: &str) -> Option<(String, String)> {
    let prefix = match SubscriptionId::parse(words) {
        Ok(id) => id.to_string(),
        Err(_) => words.to_ascii_lowercase(),
    };
    (prefix.len() >= MIN_SUBSCRIPTION_PREFIX
        && prefix.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
    .then(|| {
        // Canonical IDs hold only 0-9, a-f and '-', all before 'g'.
        let to = format!("{prefix}g");
        (prefix, to)
    })
}

/// `SELECT state, id, updated_at, name_key FROM claims ...`: a page of `q` and one more
/// row (which tells whether there is a next page). Refuses a cursor of another order.
pub fn claims_statement(q: &ClaimQuery, d: &Dialect) -> Result<Vec<Piece>> {
    if let Some(after) = &q.after {
        after.check(q.sort)?;
    }
    let mut b = Builder(Vec::new());
    b.sql("SELECT state, id, updated_at, name_key FROM claims WHERE 1 = 1");
    let mut eq = |col: &str, v: Option<String>| {
        if let Some(v) = v {
            b.sql(format!(" AND {col} = ")).text(v);
        }
    };
    eq("org_id", q.org_id.map(|v| v.to_string()));
    eq("status", q.status.map(|v| v.as_str().to_string()));
    eq("phase", q.phase.map(|v| v.as_str().to_string()));
    eq(
        "solution_area",
        q.solution_area.map(|v| v.as_str().to_string()),
    );
    eq("mpn_id", q.mpn_id.as_ref().map(|v| v.to_string()));
    eq("tenant_id", q.tenant_id.map(|v| v.to_string()));
    if let Some(p) = &q.product {
        b.sql(
            " AND EXISTS (SELECT 1 FROM claim_products p WHERE p.claim_id = claims.id AND p.product = ",
        )
        .text(p.as_str())
        .sql(")");
    }
    if let Some(t) = q.updated_from {
        b.sql(" AND updated_at >= ").int(micros(t));
    }
    if let Some(t) = q.updated_to {
        b.sql(" AND updated_at <= ").int(micros(t));
    }
    if let Some(words) = q.q.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        let pattern = format!(
            "%{}%",
            words
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        b.sql(format!(" AND (name {} ", d.like))
            .text(pattern.clone())
            .sql(format!("{} OR domain {} ", d.escape, d.like))
            .text(pattern.to_lowercase())
            .sql(d.escape);
        if let Some((from, to)) = subscription_range(words) {
            b.sql(" OR id IN (SELECT claim_id FROM claim_products WHERE subscription_id >= ")
                .text(from)
                .sql(" AND subscription_id < ")
                .text(to)
                .sql(")");
        }
        b.sql(")");
    }
    match &q.after {
        None => {}
        Some(ClaimCursor::Newest(id)) => {
            b.sql(" AND id < ").text(id.to_string());
        }
        Some(ClaimCursor::LastChange(t, id)) => {
            b.sql(" AND (updated_at, id) < (")
                .int(micros(*t))
                .sql(", ")
                .text(id.to_string())
                .sql(")");
        }
        Some(ClaimCursor::Name(key, id)) => {
            b.sql(" AND (name_key, id) > (")
                .text(key.clone())
                .sql(", ")
                .text(id.to_string())
                .sql(")");
        }
    }
    b.sql(match q.sort {
        ClaimSort::Newest => " ORDER BY id DESC",
        ClaimSort::LastChange => " ORDER BY updated_at DESC, id DESC",
        ClaimSort::Name => " ORDER BY name_key, id",
    });
    b.sql(" LIMIT ").int(i64::from(q.limit) + 1);
    Ok(b.0)
}

/// One row of the statement: the claim's state and its sort columns.
pub struct Row {
    pub state: String,
    pub updated_at: i64,
    pub name_key: String,
}

/// The page of `rows` (up to `limit` + 1 of them) and the cursor of its last claim when
/// there is more.
pub fn page_of(mut rows: Vec<Row>, q: &ClaimQuery) -> Result<crate::Page<Claim, ClaimCursor>> {
    let more = rows.len() > q.limit as usize;
    rows.truncate(q.limit as usize);
    let items = rows
        .iter()
        .map(|r| serde_json::from_str::<Claim>(&r.state))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let next = match (more, rows.pop(), items.last()) {
        (true, Some(row), Some(c)) => Some(match q.sort {
            ClaimSort::Newest => ClaimCursor::Newest(c.id),
            ClaimSort::LastChange => ClaimCursor::LastChange(from_micros(row.updated_at), c.id),
            ClaimSort::Name => ClaimCursor::Name(row.name_key, c.id),
        }),
        _ => None,
    };
    Ok(crate::Page { items, next })
}

/// Every status in [`Status::ALL`] order with its count among `found` (0 when absent).
pub fn counts(found: Vec<(Status, i64)>) -> Vec<(Status, u64)> {
    Status::ALL
        .iter()
        .map(|s| {
            let n = found
                .iter()
                .filter(|(f, _)| f == s)
                .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
                .sum();
            (*s, n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpor_domain::jiff::Timestamp;
    use cpor_domain::values::ClaimId;

    fn id() -> ClaimId {
        "0190a000-0000-7000-8000-000000000001"
            .parse()
            .expect("an id")
    }

    #[test]
    fn a_cursor_reads_back_from_its_text() {
        let t: Timestamp = "2026-11-02T10:00:00.123456Z".parse().expect("a time");
        for c in [
            ClaimCursor::Newest(id()),
            ClaimCursor::LastChange(t, id()),
            ClaimCursor::Name("ölund: a:b".into(), id()),
            ClaimCursor::Name(String::new(), id()),
        ] {
            assert_eq!(c.to_string().parse::<ClaimCursor>(), Ok(c.clone()), "{c}");
        }
        // A newest-first cursor is the bare id, as cursors were before other orders.
        assert_eq!(ClaimCursor::Newest(id()).to_string(), id().to_string());
        assert_eq!(
            ClaimCursor::LastChange(t, id()).to_string(),
            format!("c:{}:{}", t.as_microsecond(), id())
        );
        for bad in [
            "",
            "x",
            "c:",
            "c:1",
            "c:x:0190a000-0000-7000-8000-000000000001",
            "n:x:y",
            "q:1",
        ] {
            assert!(bad.parse::<ClaimCursor>().is_err(), "{bad}");
        }
    }

    #[test]
    fn words_mean_subscriptions_when_they_are_a_guid_or_its_start() {
        let full = "5f2a1b3c-0003-4000-8000-00000000c003";
        let range = |w: &str| subscription_range(w);
        assert_eq!(
            range(&format!("{{{}}}", full.to_uppercase())),
            Some((full.to_string(), format!("{full}g")))
        );
        assert_eq!(
            range("5F2A1B3C"),
            Some(("5f2a1b3c".to_string(), "5f2a1b3cg".to_string()))
        );
        assert_eq!(range("5f2"), None);
        assert_eq!(range("contoso"), None);
    }
}
