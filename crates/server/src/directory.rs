//! The tenant directory's CSV files (docs/product.md, reference data), shared by the
//! portal's upload, the API's import and `cpor admin directory import`. Every row is
//! checked; a report says which tenants would be added or changed and which rows are
//! refused (with their line and reason). Nothing is imported while any row is refused.

use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{Channel, ProductId, Subscription, SubscriptionState, TenantRecord};
use cpor_domain::values::{DomainName, Parse, SubscriptionId, TenantId};
use cpor_store::{Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// The header of the tenants file.
pub const TENANTS_HEADER: [&str; 2] = ["tenant_id", "domain"];
/// The header of the subscriptions file.
pub const SUBSCRIPTIONS_HEADER: [&str; 7] = [
    "tenant_id",
    "subscription_id",
    "product",
    "state",
    "channel",
    "starts_on",
    "ends_on",
];

/// A row (or a whole file, line 1 for its header) that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file's name as the caller gave it (`tenants`, `subscriptions`, a path).
    pub file: String,
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: line {}: {}", self.file, self.line, self.reason)
    }
}

/// What an import would do.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The records that would be written (each replaces what the directory knew of it).
    pub records: Vec<TenantRecord>,
    /// Tenants the directory does not know yet.
    pub added: Vec<TenantId>,
    /// Tenants whose domains or subscriptions would change.
    pub changed: Vec<TenantId>,
    /// Tenants the files give exactly as the directory has them.
    pub unchanged: Vec<TenantId>,
    pub refused: Vec<Refusal>,
}

impl Report {
    /// Whether the files may be imported (no row refused).
    pub fn ok(&self) -> bool {
        self.refused.is_empty()
    }
}

fn rows(
    file: &str,
    text: &[u8],
    header: &[&str],
    refused: &mut Vec<Refusal>,
) -> Vec<(u64, csv::StringRecord)> {
    let refuse = |line: u64, reason: String| Refusal {
        file: file.to_string(),
        line,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text);
    let found: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            refused.push(refuse(1, e.to_string()));
            return Vec::new();
        }
    };
    if found != header {
        refused.push(refuse(
            1,
            format!("the header must be {}", header.join(",")),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in reader.records() {
        match r {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                out.push((line, r));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                refused.push(refuse(line, e.to_string()));
            }
        }
    }
    out
}

/// Reads the files (`tenants` as `tenant_id,domain`, `subscriptions` as
/// `tenant_id,subscription_id,product,state,channel,starts_on,ends_on`) into a report.
/// Tenants named only in the subscriptions file keep the domains the directory has.
pub async fn read(
    store: &dyn Store,
    tenants: (&str, &[u8]),
    subscriptions: Option<(&str, &[u8])>,
) -> Result<Report, StoreError> {
    let mut refused = Vec::new();
    let mut records: BTreeMap<TenantId, TenantRecord> = BTreeMap::new();
    let mut domain_owner: BTreeMap<DomainName, TenantId> = BTreeMap::new();
    let reference = store.reference().await?;
    let (tenants_file, tenants_text) = tenants;

    for (line, r) in rows(tenants_file, tenants_text, &TENANTS_HEADER, &mut refused) {
        let mut bad = |reason: String| {
            refused.push(Refusal {
                file: tenants_file.to_string(),
                line,
                reason,
            })
        };
        if r.len() != 2 {
            bad(format!("expected 2 fields, found {}", r.len()));
            continue;
        }
        let t = TenantId::parse(&r[0]).map_err(|e| bad(e.to_string())).ok();
        let d = DomainName::parse(&r[1])
            .map_err(|e| bad(e.to_string()))
            .ok();
        if let (Some(t), Some(d)) = (t, d) {
            if let Some(owner) = domain_owner.insert(d.clone(), t).filter(|o| *o != t) {
                bad(format!("domain {d} is already given to tenant {owner}"));
            }
            let rec = records.entry(t).or_insert_with(|| TenantRecord {
                tenant_id: t,
                domains: Vec::new(),
                subscriptions: Vec::new(),
            });
            if !rec.domains.contains(&d) {
                rec.domains.push(d);
            }
        }
    }

    if let Some((file, text)) = subscriptions {
        let mut seen = BTreeMap::new();
        for (line, r) in rows(file, text, &SUBSCRIPTIONS_HEADER, &mut refused) {
            let mut row_errors = Vec::new();
            let mut bad = |e: String| row_errors.push(e);
            if r.len() != 7 {
                refused.push(Refusal {
                    file: file.to_string(),
                    line,
                    reason: format!("expected 7 fields, found {}", r.len()),
                });
                continue;
            }
            let t = TenantId::parse(&r[0]).map_err(|e| bad(e.to_string())).ok();
            let s = SubscriptionId::parse(&r[1])
                .map_err(|e| bad(e.to_string()))
                .ok();
            let p = ProductId::parse(&r[2]).map_err(|e| bad(e.to_string())).ok();
            if let Some(p) = &p
                && reference.catalog.get(p).is_none()
            {
                bad(format!("product: {p} is not in the catalog"));
            }
            let state = SubscriptionState::parse(&r[3])
                .map_err(|e| bad(e.to_string()))
                .ok();
            let channel = Channel::parse(&r[4]).map_err(|e| bad(e.to_string())).ok();
            let starts = r[5]
                .parse::<Date>()
                .map_err(|_| {
                    bad(format!(
                        "starts_on: \"{}\" is not a date such as 2026-01-31",
                        &r[5]
                    ))
                })
                .ok();
            let ends = if r[6].is_empty() {
                Some(None)
            } else {
                r[6].parse::<Date>()
                    .map(Some)
                    .map_err(|_| {
                        bad(format!(
                            "ends_on: \"{}\" is not a date such as 2026-12-31",
                            &r[6]
                        ))
                    })
                    .ok()
            };
            if let (Some(a), Some(Some(b))) = (starts, ends)
                && b < a
            {
                bad("ends_on: the subscription ends before it starts".into());
            }
            if let Some(s) = s
                && let Some(prev) = seen.insert(s, line)
            {
                bad(format!("subscription_id: {s} is already on line {prev}"));
            }
            if let (
                Some(t),
                Some(id),
                Some(product),
                Some(state),
                Some(channel),
                Some(starts_on),
                Some(ends_on),
            ) = (t, s, p, state, channel, starts, ends)
            {
                if let std::collections::btree_map::Entry::Vacant(slot) = records.entry(t) {
                    match store.tenant(t).await? {
                        Some(existing) => {
                            slot.insert(TenantRecord {
                                subscriptions: Vec::new(),
                                ..existing
                            });
                        }
                        None => {
                            row_errors.push(format!(
                                "tenant {t} is neither in the tenants file nor in the directory"
                            ));
                        }
                    }
                }
                if row_errors.is_empty()
                    && let Some(rec) = records.get_mut(&t)
                {
                    rec.subscriptions.push(Subscription {
                        id,
                        product,
                        state,
                        channel,
                        starts_on,
                        ends_on,
                    });
                }
            }
            refused.extend(row_errors.into_iter().map(|reason| Refusal {
                file: file.to_string(),
                line,
                reason,
            }));
        }
    }

    let mut report = Report {
        refused,
        ..Report::default()
    };
    for rec in records.into_values() {
        match store.tenant(rec.tenant_id).await? {
            None => report.added.push(rec.tenant_id),
            Some(known) if same(&known, &rec) => report.unchanged.push(rec.tenant_id),
            Some(_) => report.changed.push(rec.tenant_id),
        }
        report.records.push(rec);
    }
    Ok(report)
}

/// The same domains and subscriptions, in any order.
fn same(a: &TenantRecord, b: &TenantRecord) -> bool {
    let domains = |r: &TenantRecord| r.domains.iter().cloned().collect::<BTreeSet<_>>();
    let subs = |r: &TenantRecord| {
        let mut s: Vec<String> = r.subscriptions.iter().map(|s| format!("{s:?}")).collect();
        s.sort();
        s
    };
    domains(a) == domains(b) && subs(a) == subs(b)
}
